package dev.berth.runtime.image;

import dev.berth.testing.LoopbackServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A small OCI registry with ACR's token endpoints on 127.0.0.1, over HTTPS with the test CA's
 * certificate (or plain HTTP), for the pull tests: it serves what the test puts in, challenges as
 * configured, and records every request. Thread-safe.
 */
public final class FakeRegistry implements AutoCloseable {

  /** How the registry challenges: not at all, for an ACR bearer token, or for Basic. */
  public enum Auth {
    NONE,
    BEARER,
    BASIC
  }

  /** One request as the registry saw it. */
  public record Seen(
      String method, String path, String query, Map<String, String> form, String peer) {}

  public static final String ENTRA_TOKEN = "entra-token-for-mi";
  public static final String USER = "admin";
  public static final String PASSWORD = "s3cret-password";
  private static final String REFRESH = "acr-refresh-token";
  private static final String ACCESS = "acr-access-token";

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
  private final Set<String> cutOff = ConcurrentHashMap.newKeySet();
  private final LoopbackServer server;
  private final String scheme;

  /** Every request, in order. */
  public final List<Seen> seen = new CopyOnWriteArrayList<>();

  public volatile Auth auth = Auth.NONE;
  public volatile boolean anonymousPull;
  public volatile boolean redirectBlobs;

  private record Manifest(String mediaType, byte[] content) {}

  private FakeRegistry(boolean tls) {
    Request.Handler handler =
        (request, response, callback) -> {
          handle(request, response, callback);
          return true;
        };
    this.server = tls ? LoopbackServer.https(handler) : LoopbackServer.http(handler);
    this.scheme = tls ? "https" : "http";
  }

  /** A registry over HTTPS: pullers trust {@code TestCa.get()}. */
  public static FakeRegistry https() {
    return new FakeRegistry(true);
  }

  /** A registry over plain HTTP. */
  public static FakeRegistry plainHttp() {
    return new FakeRegistry(false);
  }

  /** {@code 127.0.0.1:<port>}: the registry part of an image reference. */
  public String host() {
    return server.authority();
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return scheme;
  }

  /** Stores a blob; returns its digest. */
  public String blob(byte[] content) {
    String digest = digest(content);
    blobs.put(digest, content);
    return digest;
  }

  /** Serves other bytes than {@code digest} names from now on. */
  public void corrupt(String digest) {
    blobs.put(digest, "not what the digest says".getBytes(StandardCharsets.UTF_8));
  }

  /** Serves {@code content} for {@code digest} from now on. */
  public void serveInstead(String digest, byte[] content) {
    blobs.put(digest, content);
  }

  /** Serves only the first half of {@code digest}'s bytes from now on, as a whole answer. */
  public void truncate(String digest) {
    byte[] content = blobs.get(digest);
    blobs.put(digest, Arrays.copyOf(content, content.length / 2));
  }

  /** Serves {@code digest}'s bytes with one byte in the middle changed, from now on. */
  public void flipAByte(String digest) {
    byte[] content = blobs.get(digest).clone();
    content[content.length / 2] ^= 0x5a;
    blobs.put(digest, content);
  }

  /**
   * Answers for {@code digest} with its whole length announced, sends half of it and drops the
   * connection, from now on.
   */
  public void cutOff(String digest) {
    cutOff.add(digest);
  }

  /** Stores a manifest under its digest and, when given, a tag; returns the digest. */
  public String manifest(String repository, String tag, String mediaType, byte[] content) {
    String digest = digest(content);
    manifests.put(repository + "@" + digest, new Manifest(mediaType, content));
    if (tag != null) {
      manifests.put(repository + ":" + tag, new Manifest(mediaType, content));
    }
    return digest;
  }

  /** The requests whose path starts with {@code pathPrefix}. */
  public List<Seen> requests(String pathPrefix) {
    return seen.stream().filter(s -> s.path().startsWith(pathPrefix)).toList();
  }

  public static String digest(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    String query = request.getHttpURI().getQuery();
    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
    Map<String, String> form = parse(request.getMethod().equals("POST") ? body : query);
    seen.add(new Seen(request.getMethod(), path, query, form, Request.getRemoteAddr(request)));
    String authorization = request.getHeaders().get("Authorization");
    if (path.equals("/oauth2/exchange") && request.getMethod().equals("POST")) {
      if (ENTRA_TOKEN.equals(form.get("access_token"))) {
        json(response, callback, 200, "{\"refresh_token\":\"" + REFRESH + "\"}");
      } else {
        unauthorized(response, callback, "token validation failed");
      }
    } else if (path.equals("/oauth2/token") && request.getMethod().equals("POST")) {
      if (REFRESH.equals(form.get("refresh_token"))) {
        json(response, callback, 200, "{\"access_token\":\"" + ACCESS + "\"}");
      } else {
        unauthorized(
            response,
            callback,
            "authentication required, visit https://aka.ms/acr/authorization for more information.");
      }
    } else if (path.equals("/oauth2/token")) {
      if (basicOk(authorization) || (authorization == null && anonymousPull)) {
        json(response, callback, 200, "{\"access_token\":\"" + ACCESS + "\"}");
      } else {
        unauthorized(
            response,
            callback,
            "authentication required, visit https://aka.ms/acr/authorization for more information.");
      }
    } else if (path.startsWith("/storage/")) {
      blob(response, callback, path.substring("/storage/".length()));
    } else if (!authorized(authorization)) {
      challenge(response);
      unauthorized(
          response,
          callback,
          "authentication required, visit https://aka.ms/acr/authorization for more information.");
    } else if (path.equals("/v2/")) {
      json(response, callback, 200, "{}");
    } else if (path.contains("/manifests/")) {
      String repository = path.substring(4, path.indexOf("/manifests/"));
      String reference = path.substring(path.indexOf("/manifests/") + "/manifests/".length());
      Manifest manifest =
          manifests.get(repository + (reference.startsWith("sha256:") ? "@" : ":") + reference);
      if (manifest == null) {
        json(
            response,
            callback,
            404,
            "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest tagged by \\\""
                + reference
                + "\\\" is not found\",\"detail\":{\"Tag\":\""
                + reference
                + "\"}}]}");
        return;
      }
      response.getHeaders().put("Content-Type", manifest.mediaType());
      response.getHeaders().put("Docker-Content-Digest", digest(manifest.content()));
      response.write(true, ByteBuffer.wrap(manifest.content()), callback);
    } else if (path.contains("/blobs/")) {
      String digest = path.substring(path.indexOf("/blobs/") + "/blobs/".length());
      if (redirectBlobs) {
        response.setStatus(307);
        response.getHeaders().put("Location", "/storage/" + digest);
        callback.succeeded();
      } else {
        blob(response, callback, digest);
      }
    } else {
      json(
          response,
          callback,
          404,
          "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}");
    }
  }

  private void blob(Response response, Callback callback, String digest) {
    byte[] content = blobs.get(digest);
    if (content == null) {
      json(
          response,
          callback,
          404,
          "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}");
      return;
    }
    response.getHeaders().put("Content-Type", "application/octet-stream");
    if (cutOff.contains(digest)) {
      response.getHeaders().put("Content-Length", content.length);
      response.write(
          false,
          ByteBuffer.wrap(content, 0, content.length / 2),
          Callback.from(() -> callback.failed(new IOException("cut off")), callback::failed));
      return;
    }
    response.write(true, ByteBuffer.wrap(content), callback);
  }

  private boolean authorized(String authorization) {
    return switch (auth) {
      case NONE -> true;
      case BEARER -> ("Bearer " + ACCESS).equals(authorization);
      case BASIC -> basicOk(authorization);
    };
  }

  private static boolean basicOk(String authorization) {
    String expected = USER + ":" + PASSWORD;
    return ("Basic "
            + Base64.getEncoder().encodeToString(expected.getBytes(StandardCharsets.UTF_8)))
        .equals(authorization);
  }

  private void challenge(Response response) {
    String value =
        auth == Auth.BASIC
            ? "Basic realm=\"fake\""
            : "Bearer realm=\""
                + scheme
                + "://"
                + host()
                + "/oauth2/token\",service=\""
                + host()
                + "\"";
    response.getHeaders().put("WWW-Authenticate", value);
  }

  private static void unauthorized(Response response, Callback callback, String message) {
    json(
        response,
        callback,
        401,
        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"" + message + "\"}]}");
  }

  private static void json(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put("Content-Type", "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static Map<String, String> parse(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.put(key, value);
    }
    return values;
  }

  @Override
  public void close() {
    server.close();
  }
}
