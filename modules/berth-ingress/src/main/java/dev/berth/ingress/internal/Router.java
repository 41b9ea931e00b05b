package dev.berth.ingress.internal;

import dev.berth.ingress.Activations;
import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.Caller;
import dev.berth.ingress.IngressObserver;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.IngressWiring;
import dev.berth.ingress.RequestLoad;
import dev.berth.ingress.RouteTable;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides where a request goes: finds the app by the request's host and answers itself when no app
 * has that name (404), when the app's policy refuses the caller ({@link EdgePolicy}), when plain
 * HTTP must go to HTTPS (a redirect), when the app cannot serve (503, with the reason), or for a
 * CORS preflight ({@link Cors}); otherwise it counts the request against its revision and claims a
 * ready replica (round robin, or the client's sticky one: {@link Affinity}), or says the request
 * must wait in the {@link Activator} for one. Every request that reaches an app is reported to the
 * {@link IngressObserver} as it starts and, through {@link #end}, once as it ends. Shared by every
 * connection; thread-safe.
 */
public final class Router {

  /** What to do with a request after {@link #decide}. */
  enum Step {
    /** The ingress answers itself: {@code Exchange.answer}. */
    ANSWER,
    /** Send it to {@code Exchange.backend}, claimed for it. */
    FORWARD,
    /** No replica is ready: hold it in the activator. */
    HOLD
  }

  private final RouteTable routes;
  private final IngressSettings settings;
  private final RequestLoad load;
  private final ReplicaPicker picker;
  private final Activator activator;
  private final boolean activating;
  private final Predicate<Caller> fromEnvironment;
  private final IngressObserver observer;
  private final boolean observed;

  public Router(RouteTable routes, IngressSettings settings, IngressWiring wiring) {
    this.routes = routes;
    this.settings = settings;
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
    this.fromEnvironment = wiring.fromEnvironment();
    this.observer = wiring.observer();
    // Without an observer, a request costs no clock reads and no calls.
    this.observed = !observer.equals(IngressObserver.NONE);
  }

  IngressSettings settings() {
    return settings;
  }

  ReplicaPicker picker() {
    return picker;
  }

  Step decide(Exchange x, Caller caller, boolean secure) {
    Optional<AppRoute> found = x.host.isEmpty() ? Optional.empty() : routes.route(x.host, caller);
    if (found.isEmpty()) {
      return answer(x, unknownHost(x.host));
    }
    AppRoute route = found.get();
    x.route = route;
    if (observed) {
      // Counted from here: requests for an app, never the 404s above (their host names are the
      // client's to invent, and would make a metric label without bound).
      observer.started(route.app(), route.revisionName());
      x.observed = true;
    }
    FullHttpResponse refusal = EdgePolicy.refusal(x.host, route, caller, fromEnvironment);
    if (refusal != null) {
      return answer(x, refusal);
    }
    if (!secure && !route.allowInsecure()) {
      return answer(x, Replies.redirect(x.request.method(), httpsLocation(x)));
    }
    if (route.cannotServe().isPresent()) {
      return answer(x, cannotServe(route));
    }
    FullHttpResponse preflight = Cors.apply(x.request, route.policy().cors(), x);
    if (preflight != null) {
      return answer(x, preflight);
    }
    if (!route.revision().isEmpty()) {
      load.started(route.revision());
      x.counted = route.revision();
    }
    Backend backend = picker.pick(route.backends(), List.of());
    if (backend == null) {
      if (!activating || !route.activatable()) {
        return answer(
            x,
            Replies.retryLater(
                "Container app " + route.app() + " has no replica ready to serve requests.\n"));
      }
      return Step.HOLD;
    }
    x.backend = backend;
    stick(x, secure);
    return Step.FORWARD;
  }

  /**
   * Holds {@code x} until a replica is ready for it, blocking: call it on a thread of its own (a
   * virtual one).
   */
  Activator.Outcome hold(Exchange x, Caller caller) {
    try {
      return activator.hold(x.host, caller, x.route);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Activator.TimedOut();
    }
  }

  /** What to do with {@code x} once the activator let it go with {@code outcome}. */
  Step resume(Exchange x, Activator.Outcome outcome, boolean secure, long heldSince) {
    return switch (outcome) {
      case Activator.Ready ready -> {
        x.route = ready.route();
        x.backend = ready.backend();
        // The request waited for a replica to start: a cold start, as Knative users count them.
        observer.coldStart(
            ready.route().app(),
            ready.route().revisionName(),
            Duration.ofNanos(System.nanoTime() - heldSince));
        stick(x, secure);
        yield Step.FORWARD;
      }
      case Activator.Refused refused ->
          answer(
              x,
              refused.route().isEmpty() ? unknownHost(x.host) : cannotServe(refused.route().get()));
      case Activator.TimedOut t ->
          notYet(
              x,
              "no replica of revision "
                  + x.route.revisionName()
                  + " became ready within "
                  + settings.requestTimeout().toSeconds()
                  + " s. See: berth containerapp revision show and logs show --type system.");
      case Activator.Full f ->
          notYet(
              x,
              "too many requests are already waiting for revision "
                  + x.route.revisionName()
                  + " to start.");
    };
  }

  /** An outcome that came too late (the client left): gives back the replica it claimed. */
  void discard(Activator.Outcome outcome) {
    if (outcome instanceof Activator.Ready ready) {
      picker.release(ready.backend());
    }
  }

  /** Ends {@code x} once: tells the observer, uncounts it and releases its replica. */
  void end(Exchange x) {
    if (x.ended) {
      return;
    }
    x.ended = true;
    if (x.observed) {
      observer.finished(
          x.route.app(), x.route.revisionName(), x.status, System.nanoTime() - x.startedNanos);
    }
    if (x.counted != null) {
      load.ended(x.counted);
    }
    if (x.backend != null) {
      picker.release(x.backend);
    }
  }

  private void stick(Exchange x, boolean secure) {
    if (!x.route.policy().sticky()) {
      return;
    }
    Backend sticky =
        Affinity.choose(
            x.request.headers(), x.route.backends(), x.backend, secure, x.answerHeaders());
    if (!sticky.equals(x.backend) && picker.claim(sticky)) {
      picker.release(x.backend);
      x.backend = sticky;
    }
  }

  /** 503 with {@code Retry-After}: the app's revision is not serving yet, and {@code why}. */
  private static Step notYet(Exchange x, String why) {
    return answer(x, Replies.retryLater("Container app " + x.route.app() + ": " + why + "\n"));
  }

  private static Step answer(Exchange x, FullHttpResponse answer) {
    x.answer = answer;
    return Step.ANSWER;
  }

  private static FullHttpResponse unknownHost(String host) {
    return Replies.text(
        HttpResponseStatus.NOT_FOUND,
        "No container app has the host name " + (host.isEmpty() ? "(none)" : host) + ".\n");
  }

  private static FullHttpResponse cannotServe(AppRoute route) {
    return Replies.text(
        HttpResponseStatus.SERVICE_UNAVAILABLE,
        "Container app "
            + route.app()
            + " cannot serve requests:\n"
            + route.cannotServe().orElse("")
            + "\n");
  }

  private String httpsLocation(Exchange x) {
    String port = settings.httpsPort() == 443 ? "" : ":" + settings.httpsPort();
    return "https://" + x.host + port + pathQuery(x.request.uri());
  }

  /** The request target's path and query as sent (an absolute form loses its origin). */
  static String pathQuery(String target) {
    if (target.startsWith("/")) {
      return target;
    }
    try {
      URI uri = URI.create(target);
      String raw = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return uri.getRawQuery() == null ? raw : raw + "?" + uri.getRawQuery();
    } catch (IllegalArgumentException e) {
      return "/";
    }
  }

  /**
   * The host the client named, lower case, without its port or a trailing dot: from an absolute
   * request target if there is one, else from {@code Host}.
   */
  static String hostOf(HttpRequest request) {
    String authority = null;
    String target = request.uri();
    if (!target.startsWith("/")) {
      try {
        authority = URI.create(target).getRawAuthority();
      } catch (IllegalArgumentException e) {
        authority = null;
      }
    }
    if (authority == null) {
      authority = request.headers().get(HttpHeaderNames.HOST);
    }
    if (authority == null) {
      return "";
    }
    int at = authority.lastIndexOf('@');
    String host = at >= 0 ? authority.substring(at + 1) : authority;
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      host = host.substring(0, colon);
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
