package dev.berth.ingress.internal;

import dev.berth.ingress.Activations;
import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.IngressObserver;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.IngressWiring;
import dev.berth.ingress.RequestLoad;
import dev.berth.ingress.RouteTable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first step of the ingress chain: finds the app by the request's host, answers itself when no
 * app has that name (404), when the app's policy refuses the caller ({@link EdgePolicy}), when the
 * app cannot serve (503, with the reason), when plain HTTP must go to HTTPS (a redirect), or for a
 * CORS preflight ({@link Cors}); otherwise it counts the request against its revision, chooses a
 * ready replica (round robin, or the client's sticky one: {@link Affinity}) or, when none is ready,
 * holds the request in the {@link Activator} until one is, and hands it to the {@link
 * WebSocketTunnel} for a WebSocket handshake or to the {@link ReplicaProxy}. Every request that
 * reaches an app is reported to the {@link IngressObserver} as it starts and ends. Thread-safe.
 */
public final class HostRouter extends Handler.Wrapper {

  private final RouteTable routes;
  private final IngressSettings settings;
  private final ReplicaProxy proxy;
  private final RequestLoad load;
  private final ReplicaPicker picker;
  private final Activator activator;
  private final boolean activating;
  private final WebSocketTunnel webSockets;
  private final Predicate<Request> fromEnvironment;
  private final IngressObserver observer;
  private final boolean observed;

  public HostRouter(
      RouteTable routes, IngressSettings settings, ReplicaProxy proxy, IngressWiring wiring) {
    super(proxy);
    this.routes = routes;
    this.settings = settings;
    this.proxy = proxy;
    this.load = wiring.load();
    this.picker = new ReplicaPicker(load);
    this.activator =
        new Activator(
            routes,
            wiring.activations(),
            picker,
            settings.requestTimeout(),
            settings.maxWaitingPerRevision());
    // With nothing to scale revisions up (no runtime), a request that finds no replica is
    // answered at once rather than held for one that cannot come.
    this.activating = !wiring.activations().equals(Activations.NONE);
    this.webSockets = new WebSocketTunnel(settings);
    this.fromEnvironment = wiring.fromEnvironment();
    this.observer = wiring.observer();
    // Without an observer, a request costs no callback wrapper and no clock reads.
    this.observed = !observer.equals(IngressObserver.NONE);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String host = hostOf(request);
    Optional<AppRoute> found = host.isEmpty() ? Optional.empty() : routes.route(host);
    if (found.isEmpty()) {
      return unknownHost(response, callback, host);
    }
    AppRoute route = found.get();
    if (!observed) {
      return serve(request, response, callback, host, route);
    }
    // Counted from here: requests for an app, never the 404s above (their host names are the
    // client's to invent, and would make a metric label without bound).
    observer.started(route.app(), route.revisionName());
    ObservedCallback done =
        new ObservedCallback(
            callback, response, observer, route.app(), route.revisionName(), System.nanoTime());
    boolean handled = false;
    try {
      handled = serve(request, response, done, host, route);
      return handled;
    } finally {
      if (!handled) {
        // The handler threw (or declined) without completing the callback: Jetty answers.
        done.abandoned();
      }
    }
  }

  private boolean serve(
      Request request, Response response, Callback callback, String host, AppRoute route)
      throws Exception {
    if (EdgePolicy.refuses(request, response, callback, host, route, fromEnvironment)) {
      return true;
    }
    if (!request.isSecure() && !route.allowInsecure()) {
      return Replies.redirect(request, response, callback, httpsLocation(request, host));
    }
    if (route.cannotServe().isPresent()) {
      return cannotServe(response, callback, route);
    }
    if (Cors.apply(request, response, callback, route.policy().cors())) {
      return true; // a preflight, answered here
    }
    Callback done = callback;
    if (!route.revision().isEmpty()) {
      String revision = route.revision();
      load.started(revision);
      done = Ending.then(callback, () -> load.ended(revision));
    }
    Backend backend = picker.pick(route.backends(), List.of());
    if (backend == null) {
      if (!activating || !route.activatable()) {
        return noReplica(response, done, route);
      }
      long heldSince = System.nanoTime();
      switch (activator.hold(host, route)) {
        case Activator.Ready ready -> {
          route = ready.route();
          backend = ready.backend();
          // The request waited for a replica to start: a cold start, as Knative users count them.
          observer.coldStart(
              route.app(), route.revisionName(), Duration.ofNanos(System.nanoTime() - heldSince));
        }
        case Activator.Refused refused -> {
          return refused.route().isEmpty()
              ? unknownHost(response, done, host)
              : cannotServe(response, done, refused.route().get());
        }
        case Activator.TimedOut t -> {
          return notStarted(response, done, route);
        }
        case Activator.Full f -> {
          return tooManyWaiting(response, done, route);
        }
      }
    }
    if (route.policy().sticky()) {
      Backend sticky = Affinity.choose(request, response, route.backends(), backend);
      if (!sticky.equals(backend) && picker.claim(sticky)) {
        picker.release(backend);
        backend = sticky;
      }
    }
    if (WebSocketTunnel.isUpgrade(request)) {
      Backend claimed = backend; // the tunnel holds its claim until it closes
      return webSockets.tunnel(
          request, response, Ending.then(done, () -> picker.release(claimed)), backend);
    }
    return proxy.proxy(
        request, response, done, route.backends(), backend, picker, route.policy().http2());
  }

  private static boolean unknownHost(Response response, Callback callback, String host) {
    String named = host.isEmpty() ? "(none)" : host;
    return Replies.text(
        response,
        callback,
        HttpStatus.NOT_FOUND_404,
        "No container app has the host name " + named + ".\n");
  }

  private static boolean cannotServe(Response response, Callback callback, AppRoute route) {
    return Replies.text(
        response,
        callback,
        HttpStatus.SERVICE_UNAVAILABLE_503,
        "Container app "
            + route.app()
            + " cannot serve requests:\n"
            + route.cannotServe().orElse("")
            + "\n");
  }

  private static boolean noReplica(Response response, Callback callback, AppRoute route) {
    response.getHeaders().put("Retry-After", "1");
    return Replies.text(
        response,
        callback,
        HttpStatus.SERVICE_UNAVAILABLE_503,
        "Container app " + route.app() + " has no replica ready to serve requests.\n");
  }

  private boolean notStarted(Response response, Callback callback, AppRoute route) {
    response.getHeaders().put("Retry-After", "1");
    return Replies.text(
        response,
        callback,
        HttpStatus.SERVICE_UNAVAILABLE_503,
        "Container app "
            + route.app()
            + ": no replica of revision "
            + route.revisionName()
            + " became ready within "
            + settings.requestTimeout().toSeconds()
            + " s. See: berth containerapp revision show and logs show --type system.\n");
  }

  private static boolean tooManyWaiting(Response response, Callback callback, AppRoute route) {
    response.getHeaders().put("Retry-After", "1");
    return Replies.text(
        response,
        callback,
        HttpStatus.SERVICE_UNAVAILABLE_503,
        "Container app "
            + route.app()
            + ": too many requests are already waiting for revision "
            + route.revisionName()
            + " to start.\n");
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
