package dev.berth.server.ingress;

import dev.berth.api.app.TrafficTable;
import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one host name leads to: an app's traffic table (the app's own host) or one revision (a
 * revision's or a label's host), each revision's ready replicas, and why the app cannot serve when
 * it cannot. Immutable and thread-safe: a request picks its revision from it without locks.
 *
 * @param app the app's name
 * @param allowInsecure ingress {@code allowInsecure}
 * @param cannotServe why no request can be served (internal ingress, no target port)
 * @param latest the app's newest revision: when no revision serves and it failed, its error is the
 *     answer
 * @param pinned the revision a revision or label host names; empty for the app's host
 * @param traffic the app's traffic table, which picks a revision for the app's host
 * @param revisions lower-case revision name → where its requests go
 */
record HostRoute(
    String app,
    boolean allowInsecure,
    Optional<String> cannotServe,
    Optional<String> latest,
    Optional<String> pinned,
    TrafficTable traffic,
    Map<String, RevisionTarget> revisions) {

  /**
   * Where one revision's requests go.
   *
   * @param backends its ready replicas at the app's {@code targetPort}
   * @param failure its {@code provisioningError} when it failed
   */
  record RevisionTarget(List<Backend> backends, Optional<String> failure) {
    RevisionTarget {
      backends = List.copyOf(backends);
    }
  }

  HostRoute {
    revisions = Map.copyOf(revisions);
  }

  /** This host pinned to {@code revision}: a revision's or a label's own host name. */
  HostRoute pinnedTo(String revision) {
    return new HostRoute(
        app, allowInsecure, cannotServe, latest, Optional.of(revision), traffic, revisions);
  }

  /** The route of one request, for {@code u} drawn uniformly from [0, 1). */
  AppRoute route(double u) {
    if (cannotServe.isPresent()) {
      return AppRoute.failed(app, "", allowInsecure, cannotServe.get());
    }
    Optional<String> picked = pinned.or(() -> traffic.pick(u));
    Optional<RevisionTarget> target = picked.map(r -> revisions.get(r.toLowerCase(Locale.ROOT)));
    if (target.isEmpty()) {
      // No revision serves: the newest one failed (its error says why), or none is ready yet (the
      // ingress answers 503 with Retry-After) and the newest is the one that will serve.
      picked = latest;
      target = latest.map(r -> revisions.get(r.toLowerCase(Locale.ROOT)));
      if (target.isEmpty() || target.get().failure().isEmpty()) {
        return AppRoute.serving(app, latest.orElse(""), allowInsecure, List.of());
      }
    }
    RevisionTarget serving = target.get();
    String revision = picked.orElseThrow();
    return serving
        .failure()
        .map(f -> AppRoute.failed(app, revision, allowInsecure, f))
        .orElseGet(() -> AppRoute.serving(app, revision, allowInsecure, serving.backends()));
  }
}
