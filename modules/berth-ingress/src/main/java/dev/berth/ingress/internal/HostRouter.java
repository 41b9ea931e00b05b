package dev.berth.ingress.internal;

import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.IngressObserver;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.RouteTable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first step of the ingress chain: finds the app by the request's host, answers itself when no
 * app has that name (404), when the app cannot serve (503, with the reason), or when plain HTTP
 * must go to HTTPS (a redirect), and otherwise hands the request to the {@link ReplicaProxy} with
 * the replica it chose (round robin). Every request that reaches an app is reported to the {@link
 * IngressObserver} as it starts and ends. Thread-safe.
 */
public final class HostRouter extends Handler.Wrapper {

  private final RouteTable routes;
  private final IngressSettings settings;
  private final ReplicaProxy proxy;
  private final IngressObserver observer;
  private final boolean observed;
  private final AtomicInteger next = new AtomicInteger();

  public HostRouter(
      RouteTable routes, IngressSettings settings, ReplicaProxy proxy, IngressObserver observer) {
    super(proxy);
    this.routes = routes;
    this.settings = settings;
    this.proxy = proxy;
    this.observer = observer;
    // Without an observer, a request costs no callback wrapper and no clock reads.
    this.observed = !observer.equals(IngressObserver.NONE);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String host = hostOf(request);
    Optional<AppRoute> found = host.isEmpty() ? Optional.empty() : routes.route(host);
    if (found.isEmpty()) {
      String named = host.isEmpty() ? "(none)" : host;
      return Replies.text(
          response,
          callback,
          HttpStatus.NOT_FOUND_404,
          "No container app has the host name " + named + ".\n");
    }
    AppRoute route = found.get();
    if (!observed) {
      return serve(request, response, callback, host, route);
    }
    // Counted from here: requests for an app, never the 404s above (their host names are the
    // client's to invent, and would make a metric label without bound).
    observer.started(route.app(), route.revision());
    ObservedCallback observed =
        new ObservedCallback(
            callback, response, observer, route.app(), route.revision(), System.nanoTime());
    boolean handled = false;
    try {
      handled = serve(request, response, observed, host, route);
      return handled;
    } finally {
      if (!handled) {
        // The handler threw (or declined) without completing the callback: Jetty answers.
        observed.abandoned();
      }
    }
  }

  private boolean serve(
      Request request, Response response, Callback callback, String host, AppRoute route)
      throws Exception {
    if (!request.isSecure() && !route.allowInsecure()) {
      return Replies.redirect(request, response, callback, httpsLocation(request, host));
    }
    if (route.cannotServe().isPresent()) {
      return Replies.text(
          response,
          callback,
          HttpStatus.SERVICE_UNAVAILABLE_503,
          "Container app "
              + route.app()
              + " cannot serve requests:\n"
              + route.cannotServe().get()
              + "\n");
    }
    List<Backend> backends = route.backends();
    if (backends.isEmpty()) {
      // Until the activator holds such requests (issue 12, point 3), say so at once.
      response.getHeaders().put("Retry-After", "1");
      return Replies.text(
          response,
          callback,
          HttpStatus.SERVICE_UNAVAILABLE_503,
          "Container app " + route.app() + " has no replica ready to serve requests.\n");
    }
    Backend backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
    return proxy.proxy(request, response, callback, backend);
  }

  /** The host the client named, lower case, without its port or a trailing dot. */
  static String hostOf(Request request) {
    String host = request.getHttpURI().getHost();
    if (host == null) {
      return "";
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private String httpsLocation(Request request, String host) {
    String port = settings.httpsPort() == 443 ? "" : ":" + settings.httpsPort();
    String pathQuery = request.getHttpURI().getPathQuery();
    return "https://" + host + port + (pathQuery == null ? "/" : pathQuery);
  }

  /** 301 for reads, as browsers expect; 308 otherwise, so a POST stays a POST with its body. */
  static int redirectStatus(Request request) {
    String method = request.getMethod();
    return HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)
        ? HttpStatus.MOVED_PERMANENTLY_301
        : HttpStatus.PERMANENT_REDIRECT_308;
  }
}
