package dev.berth.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.Consumer;

/**
 * Sends one request, logs its method, URL and status to the debug sink (never headers or bodies,
 * which carry tokens and secrets), and turns connection failures into {@link
 * BerthUnreachableException}. Thread-safe.
 */
final class Transport {

  private final HttpClient http;
  private final Consumer<String> debug;

  Transport(HttpClient http, Consumer<String> debug) {
    this.http = http;
    this.debug = debug;
  }

  HttpResponse<String> send(HttpRequest request) {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Sends with any body handler (streams for blobs); same logging and failures. */
  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    debug.accept("Request: " + request.method() + " " + request.uri());
    try {
      HttpResponse<T> response = http.send(request, handler);
      debug.accept("Response: " + response.statusCode() + " " + request.uri().getPath());
      return response;
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new BerthUnreachableException(origin(request.uri()), e);
    } catch (IOException e) {
      if (hasCause(e, UnresolvedAddressException.class)
          || hasCause(e, UnknownHostException.class)
          || hasCause(e, ConnectException.class)) {
        throw new BerthUnreachableException(origin(request.uri()), e);
      }
      throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + request.uri(), e);
    }
  }

  private static URI origin(URI uri) {
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/");
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
