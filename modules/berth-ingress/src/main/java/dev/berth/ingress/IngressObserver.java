package dev.berth.ingress;

import java.time.Duration;

/**
 * What the ingress tells whoever counts its work (the server's metrics): each request for an app as
 * it starts and as its answer ends, and each cold start the activator waited for. Called on the
 * request path, so implementations must be cheap (no I/O, no allocation beyond a lookup) and
 * thread-safe; {@link #NONE} ignores everything.
 */
public interface IngressObserver {

  /** Ignores everything: the ingress without metrics. */
  IngressObserver NONE = new IngressObserver() {};

  /**
   * A request for {@code app} is routed to {@code revision} (empty when the app cannot serve with
   * any revision); {@link #finished} follows exactly once.
   */
  default void started(String app, String revision) {}

  /**
   * The request {@link #started} for {@code app} and {@code revision} ended.
   *
   * @param status the HTTP status the client got (500 when it failed before any was sent)
   * @param nanos from routing the request to the end of its answer
   */
  default void finished(String app, String revision, int status, long nanos) {}

  /**
   * {@code revision} of {@code app} went from zero replicas to one ready to serve while a request
   * waited for it (issue 12, the activator), taking {@code duration}.
   */
  default void coldStart(String app, String revision, Duration duration) {}
}
