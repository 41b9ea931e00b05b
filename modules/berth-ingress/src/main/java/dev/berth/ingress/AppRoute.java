package dev.berth.ingress;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where requests for one app go: the replicas of the revision chosen for this request's host,
 * whether plain HTTP is served or redirected, and, when the app cannot serve at all, why. A value;
 * thread-safe.
 *
 * @param app the container app's name, for messages
 * @param revision the name of the revision chosen for this request (what metrics are labelled
 *     with); empty when no revision was chosen (the app cannot serve whichever it picks)
 * @param backends the ready replicas, each at the app's {@code targetPort}; empty while none is
 *     ready
 * @param allowInsecure ingress {@code allowInsecure}: false redirects plain HTTP to HTTPS
 * @param cannotServe why the app cannot serve (its revision's error and diagnosis), or empty
 */
public record AppRoute(
    String app,
    String revision,
    List<Backend> backends,
    boolean allowInsecure,
    Optional<String> cannotServe) {

  public AppRoute {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    backends = List.copyOf(backends);
    Objects.requireNonNull(cannotServe, "cannotServe");
  }

  /** An app whose {@code revision} serves from {@code backends}. */
  public static AppRoute serving(
      String app, String revision, boolean allowInsecure, List<Backend> backends) {
    return new AppRoute(app, revision, backends, allowInsecure, Optional.empty());
  }

  /**
   * An app that cannot serve at {@code revision}, for {@code reason} (the revision's error and its
   * diagnosis).
   */
  public static AppRoute failed(String app, String revision, boolean allowInsecure, String reason) {
    return new AppRoute(app, revision, List.of(), allowInsecure, Optional.of(reason));
  }
}
