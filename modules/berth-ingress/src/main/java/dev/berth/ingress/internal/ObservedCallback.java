package dev.berth.ingress.internal;

import dev.berth.ingress.IngressObserver;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The callback of one observed request: tells the {@link IngressObserver} that the request ended,
 * with its status and duration, exactly once (whether the answer succeeded, failed, or the handler
 * threw), then completes the server's callback. One small object per request; thread-safe.
 */
final class ObservedCallback implements Callback {

  private static final VarHandle DONE;

  static {
    try {
      DONE = MethodHandles.lookup().findVarHandle(ObservedCallback.class, "done", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Callback delegate;
  private final Response response;
  private final IngressObserver observer;
  private final String app;
  private final String revision;
  private final long started;

  @SuppressWarnings("UnusedVariable") // written and read through DONE
  private volatile boolean done;

  ObservedCallback(
      Callback delegate,
      Response response,
      IngressObserver observer,
      String app,
      String revision,
      long started) {
    this.delegate = delegate;
    this.response = response;
    this.observer = observer;
    this.app = app;
    this.revision = revision;
    this.started = started;
  }

  @Override
  public void succeeded() {
    end(response.getStatus());
    delegate.succeeded();
  }

  @Override
  public void failed(Throwable x) {
    end(statusOnFailure());
    delegate.failed(x);
  }

  @Override
  public InvocationType getInvocationType() {
    return delegate.getInvocationType();
  }

  /** Ends the observation if nothing has yet: the handler threw before completing the callback. */
  void abandoned() {
    end(statusOnFailure());
  }

  /**
   * The status a failed answer gets: what was sent when it was committed (a stream cut midway), or
   * the 500 Jetty answers with otherwise.
   */
  private int statusOnFailure() {
    return response.isCommitted() ? response.getStatus() : 500;
  }

  private void end(int status) {
    if (DONE.compareAndSet(this, false, true)) {
      observer.finished(app, revision, status, System.nanoTime() - started);
    }
  }
}
