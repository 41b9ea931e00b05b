package dev.berth.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.controlplane.providers.containerregistry.ImageImports;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One source registry of an import, read over the OCI distribution API on https: manifests by tag
 * or digest and blobs as streams, authenticating as registries ask (a {@code Basic} challenge, or a
 * {@code Bearer} one answered by the realm's token endpoint with the import's login). Not
 * thread-safe (one per import).
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Token
 *     authentication</a>
 */
final class SourceRegistry implements ImageSource {

  /** What an import accepts: OCI and Docker manifests and indexes. */
  static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  private static final int MAX_MANIFEST = 4 << 20;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final ImageImports.Request request;
  private String authorization;

  SourceRegistry(HttpClient http, ImageImports.Request request) {
    this.http = http;
    this.request = request;
  }

  @Override
  public Manifest manifest(String reference) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = get("/manifests/" + reference, ACCEPT);
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        throw refused(r.statusCode(), "manifest " + reference);
      }
      byte[] bytes = in.readNBytes(MAX_MANIFEST + 1);
      if (bytes.length > MAX_MANIFEST) {
        throw failed("the manifest of " + request.source() + " is larger than 4 MiB.");
      }
      String type =
          r.headers()
              .firstValue("Content-Type")
              .map(t -> t.split(";", 2)[0].strip())
              .filter(t -> !t.isEmpty())
              .orElseGet(() -> mediaTypeOf(bytes));
      return new Manifest(type, bytes);
    }
  }

  @Override
  public InputStream blob(String digest) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = get("/blobs/" + digest, "*/*");
    if (r.statusCode() == 307 || r.statusCode() == 302) {
      // Registries send blobs from storage elsewhere; the login is for the registry only.
      String location = r.headers().firstValue("Location").orElse("");
      r.body().close();
      URI target = uri("/blobs/" + digest).resolve(location);
      if (!target.getScheme().equals("https")) {
        throw failed("the source registry redirected a blob to a non-https address.");
      }
      r = http.send(builder(target).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }
    if (r.statusCode() != 200) {
      r.body().close();
      throw refused(r.statusCode(), "blob " + digest);
    }
    return r.body();
  }

  private HttpResponse<InputStream> get(String path, String accept)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> r = send(path, accept);
    if (r.statusCode() != 401 || authorization != null) {
      return r;
    }
    r.body().close();
    Optional<String> challenge = r.headers().firstValue("WWW-Authenticate");
    if (challenge.isEmpty()) {
      return send(path, accept);
    }
    authorization = authorize(challenge.get());
    return send(path, accept);
  }

  private HttpResponse<InputStream> send(String path, String accept)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = builder(uri(path)).header("Accept", accept).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** The header that answers {@code challenge}: Basic with the login, or a realm's token. */
  private String authorize(String challenge) throws IOException, InterruptedException {
    Optional<String> basic =
        request
            .credentials()
            .map(
                c ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (c.username() + ":" + c.password())
                                    .getBytes(StandardCharsets.UTF_8)));
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      return basic.orElseThrow(() -> refused(401, "the image"));
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = params.getOrDefault("realm", "");
    URI realmUri = URI.create(realm);
    if (!"https".equals(realmUri.getScheme())) {
      throw failed("the source registry's token realm '" + realm + "' is not an https address.");
    }
    StringBuilder query = new StringBuilder();
    for (String name : new String[] {"service", "scope"}) {
      String value =
          name.equals("scope")
              ? params.getOrDefault("scope", "repository:" + request.repository() + ":pull")
              : params.get(name);
      if (value != null) {
        query.append(query.isEmpty() ? "?" : "&").append(name).append('=');
        query.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    HttpRequest.Builder b = builder(URI.create(realm + query)).GET();
    basic.ifPresent(h -> b.header("Authorization", h));
    HttpResponse<String> token = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (token.statusCode() != 200) {
      throw refused(token.statusCode(), "a token");
    }
    JsonNode body = JSON.readTree(token.body());
    String value = body.path("token").asText(body.path("access_token").asText(""));
    if (value.isEmpty()) {
      throw failed("the source registry's token endpoint answered no token.");
    }
    return "Bearer " + value;
  }

  private URI uri(String path) {
    return URI.create("https://" + request.registryUri() + "/v2/" + request.repository() + path);
  }

  private static HttpRequest.Builder builder(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("User-Agent", "berth-import");
  }

  private static String mediaTypeOf(byte[] bytes) {
    try {
      return JSON.readTree(bytes).path("mediaType").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  private ArmException refused(int status, String what) {
    String why =
        switch (status) {
          case 401, 403 ->
              request.credentials().isPresent()
                  ? "the source registry refused the credentials"
                  : "the source registry needs credentials (source.credentials)";
          case 404 -> "the source registry has no " + what;
          default -> "the source registry answered " + status + " for " + what;
        };
    return failed(why + ".");
  }

  @Override
  public ArmException failed(String why) {
    return ArmException.of(
        ArmErrorCode.BadRequest, "Image import failed for '" + request.source() + "': " + why);
  }
}
