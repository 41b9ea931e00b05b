package dev.berth.server.ingress;

import dev.berth.api.app.TrafficTable;
import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.IngressPolicy;
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
 * @param policy what the edge enforces for the app (internal, IP rules, sticky, CORS, transport)
 */
record HostRoute(
    String app,
    boolean allowInsecure,
    Optional<String> cannotServe,
    Optional<String> latest,
    Optional<String> pinned,
    TrafficTable traffic,
    Map<String, RevisionTarget> revisions,
    IngressPolicy policy) {

  /**
   * Where one revision's requests go.
   *
   * @param revision its resource id as stored ({@link dev.berth.api.ResourceId#value()}): the key
   *     its requests are counted by and its activation is asked for
   * @param backends its ready replicas at the app's {@code targetPort}
   * @param failure its {@code provisioningError} when it failed
   */
  record RevisionTarget(String revision, List<Backend> backends, Optional<String> failure) {
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
        app, allowInsecure, cannotServe, latest, Optional.of(revision), traffic, revisions, policy);
  }

  /**
   * This host as the app's bare name, which its environment's replicas call over plain HTTP ({@code
   * http://<app>}, Container Apps' name for "internal requests"): served over HTTP whatever {@code
   * allowInsecure} says, as the call never leaves the environment's network.
   */
  HostRoute byName() {
    return new HostRoute(app, true, cannotServe, latest, pinned, traffic, revisions, policy);
  }

  /** The route of one request, for {@code u} drawn uniformly from [0, 1). */
  AppRoute route(double u) {
    if (cannotServe.isPresent()) {
      return failed("", cannotServe.get());
    }
    Optional<RevisionTarget> target =
        pinned.or(() -> traffic.pick(u)).map(r -> revisions.get(r.toLowerCase(Locale.ROOT)));
    if (target.isEmpty()) {
      // No revision serves: the newest one failed (its error says why), or none is ready yet (the
      // activator holds the request for the newest one).
      target = latest.map(r -> revisions.get(r.toLowerCase(Locale.ROOT)));
      if (target.isEmpty()) {
        return serving("", List.of());
      }
    }
    RevisionTarget serving = target.get();
    return serving
        .failure()
        .map(f -> failed(serving.revision(), f))
        .orElseGet(() -> serving(serving.revision(), serving.backends()));
  }

  private AppRoute serving(String revision, List<Backend> backends) {
    return new AppRoute(app, revision, backends, allowInsecure, Optional.empty(), policy);
  }

  private AppRoute failed(String revision, String reason) {
    return new AppRoute(app, revision, List.of(), allowInsecure, Optional.of(reason), policy);
  }
}
