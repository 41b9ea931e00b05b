package dev.berth.ingress.internal;

import org.eclipse.jetty.util.Callback;

/**
 * A request's callback that runs one action when the request ends, succeeded or failed, before
 * completing the callback it wraps: how the ingress ends its counts and releases its claims on a
 * replica. One small object per request; thread-safe as the wrapped callback is.
 */
final class Ending extends Callback.Nested {

  private final Runnable atEnd;

  private Ending(Callback callback, Runnable atEnd) {
    super(callback);
    this.atEnd = atEnd;
  }

  /** {@code callback}, running {@code atEnd} first when it completes either way. */
  static Callback then(Callback callback, Runnable atEnd) {
    return new Ending(callback, atEnd);
  }

  @Override
  public void succeeded() {
    atEnd.run();
    super.succeeded();
  }

  @Override
  public void failed(Throwable x) {
    atEnd.run();
    super.failed(x);
  }
}
