package dev.berth.server;

import dev.berth.http.Json;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers to requests it refuses before any API sees them (a malformed {@code %} escape in
 * the path, an ambiguous path, headers or a URI too large), written in the envelope of the API the
 * request was for instead of Jetty's HTML page: the registry's {@code {"errors":[…]}} on a login
 * server, ARM's {@code {"error":{code,message}}} everywhere else. No stack trace is ever shown.
 * Thread-safe.
 */
final class ProtocolErrors extends ErrorHandler {

  /** Whether a request (by local port and Host) is for a registry's login server. */
  private final BiPredicate<Integer, String> isRegistry;

  ProtocolErrors(BiPredicate<Integer, String> isRegistry) {
    this.isRegistry = isRegistry;
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    String text = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
    boolean registry =
        isRegistry.test(Request.getLocalPort(request), Request.getServerName(request));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body(registry, status, text)), callback);
  }

  /** A message refused before it was a request (a malformed request line): ARM's envelope. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    String text = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    return ByteBuffer.wrap(body(false, status, text));
  }

  static byte[] body(boolean registry, int status, String message) {
    if (registry) {
      // The spec's codes have no "bad request"; a refused URI names a repository badly.
      String code = status == 400 ? "NAME_INVALID" : "UNSUPPORTED";
      return Json.bytes(Map.of("errors", List.of(Map.of("code", code, "message", message))));
    }
    String code =
        switch (status) {
          case 400 -> "InvalidRequestFormat";
          case 413 -> "RequestEntityTooLarge";
          case 414, 431 -> "RequestHeaderFieldsTooLarge";
          default -> "BadRequest";
        };
    return Json.bytes(Map.of("error", Map.of("code", code, "message", message)));
  }
}
