package dev.berth.server.limits;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.handler.ThreadLimitHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Bounds the requests handled at once, with Jetty's handlers: {@link ThreadLimitHandler} lets one
 * source address run a few requests at a time and queues the rest of its requests, {@link
 * QoSHandler} bounds all of them and queues the rest (queued requests hold no thread); a request
 * queued too long gets 503 with {@code Retry-After}, as JSON. Log streams, which last as long as
 * their reader, are left out. Thread-safe.
 */
final class BusyHandler extends QoSHandler {

  private static final byte[] BUSY =
      """
      {"error":{"code":"ServerBusy","message":"Berth is handling too many requests; retry shortly."}}
      """
          .strip()
          .getBytes(StandardCharsets.UTF_8);

  private BusyHandler(Handler next) {
    super(next);
  }

  /** {@code next} behind the per-address and the overall bound. */
  static Handler around(Handler next, Limits limits) {
    BusyHandler all = new BusyHandler(next);
    all.setMaxRequestCount(limits.maxConcurrentRequests());
    // Every connection can have a request waiting, so none is refused for want of a queue slot:
    // a request is refused only once it has waited maxRequestQueueTime.
    all.setMaxSuspendedRequestCount(limits.maxConnections());
    all.setMaxSuspend(limits.maxRequestQueueTime());
    ThreadLimitHandler perPeer = new ThreadLimitHandler(all, null, false);
    perPeer.setThreadLimit(limits.maxConcurrentRequestsPerPeer());
    // A followed log stream stays open as long as its reader: counted, 32 readers of one address
    // would hold up every other request of it for good. Connections still bound them.
    all.exclude(BusyHandler::isLogStream);
    perPeer.exclude(BusyHandler::isLogStream);
    return perPeer;
  }

  /** ARM's {@code …/containers/{container}/logstream}, which may stay open for hours. */
  static boolean isLogStream(Request request) {
    return request.getHttpURI().getPath().toLowerCase(Locale.ROOT).endsWith("/logstream");
  }

  @Override
  protected void reject(Request request, Response response, Callback callback, int status) {
    busy(response, callback);
  }

  @Override
  protected void failSuspended(
      Request request, Response response, Callback callback, int status, Throwable failure) {
    busy(response, callback);
  }

  private static void busy(Response response, Callback callback) {
    if (response.isCommitted()) {
      callback.failed(new IllegalStateException("response already committed"));
      return;
    }
    response.setStatus(503);
    // Requests leave the queue as others finish; the Azure SDKs wait as long as this says.
    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(BUSY), callback);
  }
}
