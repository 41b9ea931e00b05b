package dev.berth.runtime.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Turns registry answers and transport failures into {@link PullException}s whose messages read as
 * containerd's: {@code <METHOD> <url>: <CODE>: <registry message>} for an answer, {@code Get
 * "<url>": dial tcp <addr>: connect: connection refused} for a registry that was not reached.
 * Messages carry URLs and the registry's words only, never a credential. Stateless.
 */
final class PullErrors {

  /** The first entry of a registry's {@code {"errors":[{"code","message"}]}} body. */
  record RegistryError(String code, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private PullErrors() {}

  /**
   * An error for an unexpected status.
   *
   * @param displayUrl the request URL as the message shows it (form fields that are not secret
   *     appear as a query, as containerd prints them)
   * @param fallback the code and message to show when the body has none
   */
  static PullException fromResponse(
      Step step,
      String method,
      String displayUrl,
      int status,
      byte[] body,
      Optional<RegistryError> fallback) {
    Optional<RegistryError> error = parse(body).or(() -> fallback);
    String detail =
        error
            .map(e -> e.code() + ": " + e.message())
            .orElse(status + " " + HttpStatus.getMessage(status));
    String code = error.map(RegistryError::code).orElse(null);
    return new PullException(
        reason(status, code), step, status, code, method + " " + displayUrl + ": " + detail, null);
  }

  /** An answer that arrived but cannot be used: bad JSON, a wrong digest, a missing token. */
  static PullException invalid(Step step, String method, String displayUrl, String what) {
    return new PullException(
        Reason.INVALID, step, 0, null, method + " " + displayUrl + ": " + what, null);
  }

  /** A request that got no answer, in Go's {@code net/http} wording. */
  static PullException unreachable(Step step, String method, URI uri, Throwable failure) {
    String goMethod = method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
    String message = "%s \"%s\": %s".formatted(goMethod, uri, describe(uri, failure));
    return new PullException(Reason.UNREACHABLE, step, 0, null, message, failure);
  }

  private static String describe(URI uri, Throwable failure) {
    String dial = "dial tcp " + address(uri);
    return switch (rootCause(failure)) {
      case ConnectException e -> dial + ": connect: connection refused";
      case NoRouteToHostException e -> dial + ": connect: no route to host";
      case UnknownHostException e -> "dial tcp: lookup " + uri.getHost() + ": no such host";
      case UnresolvedAddressException e -> "dial tcp: lookup " + uri.getHost() + ": no such host";
      case SocketTimeoutException e -> dial + ": i/o timeout";
      case TimeoutException e -> dial + ": i/o timeout";
      case SSLException e -> "tls: " + e.getMessage();
      case Throwable e -> String.valueOf(e.getMessage());
    };
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    // getCause() answers null, never the throwable itself, at the end of the chain.
    while (cause.getCause() != null && !(cause instanceof SSLException)) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String address(URI uri) {
    int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("http") ? 80 : 443;
    String host = uri.getHost();
    try {
      host = InetAddress.getByName(host).getHostAddress();
    } catch (IOException e) {
      // keep the name: the message still says where the pull went
    }
    return host + ":" + port;
  }

  private static Reason reason(int status, String code) {
    if ("NAME_UNKNOWN".equals(code)) {
      return Reason.NAME_UNKNOWN;
    }
    if ("MANIFEST_UNKNOWN".equals(code)) {
      return Reason.MANIFEST_UNKNOWN;
    }
    return switch (status) {
      case 401 -> Reason.UNAUTHORIZED;
      case 403 -> Reason.DENIED;
      default -> status >= 500 ? Reason.UNREACHABLE : Reason.INVALID;
    };
  }

  private static Optional<RegistryError> parse(byte[] body) {
    if (body == null || body.length == 0) {
      return Optional.empty();
    }
    try {
      JsonNode first = JSON.readTree(body).path("errors").path(0);
      if (!first.path("code").isTextual()) {
        return Optional.empty();
      }
      return Optional.of(
          new RegistryError(first.path("code").asText(), first.path("message").asText("")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
