package dev.berth.server.ingress;

import java.util.List;
import java.util.function.IntPredicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends a request that came in on an ingress port to the ingress, and every other request to
 * Berth's own APIs; both share the server's limits, which wrap this handler. Thread-safe.
 */
public final class PortDispatch extends Handler.AbstractContainer {

  private final IntPredicate ingressPort;
  private final Handler ingress;
  private final Handler apis;

  public PortDispatch(IntPredicate ingressPort, Handler ingress, Handler apis) {
    this.ingressPort = ingressPort;
    this.ingress = ingress;
    this.apis = apis;
    // Managed beans: started and stopped with this handler (the ingress starts its HttpClient).
    addBean(ingress);
    addBean(apis);
  }

  @Override
  public List<Handler> getHandlers() {
    return List.of(ingress, apis);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    return ingressPort.test(Request.getLocalPort(request))
        ? ingress.handle(request, response, callback)
        : apis.handle(request, response, callback);
  }
}
