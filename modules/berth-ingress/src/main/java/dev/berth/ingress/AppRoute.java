package dev.berth.ingress;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where requests for one app go: the revision chosen for this request's host, its replicas, whether
 * plain HTTP is served or redirected, and, when the app cannot serve at all, why. A value;
 * thread-safe.
 *
 * @param app the container app's name, for messages
 * @param revision the chosen revision's resource id: the key its in-flight requests are counted by
 *     and its activation is asked for; empty when no revision serves
 * @param backends the ready replicas, each at the app's {@code targetPort}; empty while none is
 *     ready (the revision may be at zero replicas: the activator holds the request)
 * @param allowInsecure ingress {@code allowInsecure}: false redirects plain HTTP to HTTPS
 * @param cannotServe why the app cannot serve (its revision's error and diagnosis), or empty
 * @param policy who may call the app and how the edge answers them (internal ingress, IP
 *     restrictions, sticky sessions, CORS, HTTP/2 to the replica)
 */
public record AppRoute(
    String app,
    String revision,
    List<Backend> backends,
    boolean allowInsecure,
    Optional<String> cannotServe,
    IngressPolicy policy) {

  public AppRoute {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    backends = List.copyOf(backends);
    Objects.requireNonNull(cannotServe, "cannotServe");
    Objects.requireNonNull(policy, "policy");
  }

  /** An app whose revision {@code revision} serves from {@code backends}, open to everyone. */
  public static AppRoute serving(
      String app, String revision, boolean allowInsecure, List<Backend> backends) {
    return new AppRoute(
        app, revision, backends, allowInsecure, Optional.empty(), IngressPolicy.OPEN);
  }

  /** An app that serves from {@code backends}, open to everyone, with no revision to activate. */
  public static AppRoute serving(String app, boolean allowInsecure, List<Backend> backends) {
    return serving(app, "", allowInsecure, backends);
  }

  /** An app that cannot serve, for {@code reason} (the revision's error and its diagnosis). */
  public static AppRoute failed(String app, boolean allowInsecure, String reason) {
    return new AppRoute(app, "", List.of(), allowInsecure, Optional.of(reason), IngressPolicy.OPEN);
  }

  /**
   * An app that cannot serve at {@code revision} (its resource id, for metrics), for {@code
   * reason}.
   */
  public static AppRoute failed(String app, String revision, boolean allowInsecure, String reason) {
    return new AppRoute(
        app, revision, List.of(), allowInsecure, Optional.of(reason), IngressPolicy.OPEN);
  }

  /** This route under {@code policy}. */
  public AppRoute withPolicy(IngressPolicy policy) {
    return new AppRoute(app, revision, backends, allowInsecure, cannotServe, policy);
  }

  /** The chosen revision's name (the last segment of its id); empty when none. */
  public String revisionName() {
    return revision.substring(revision.lastIndexOf('/') + 1);
  }

  /** Whether a revision can be scaled up for this route: the activator may hold its requests. */
  public boolean activatable() {
    return cannotServe.isEmpty() && !revision.isEmpty();
  }
}
