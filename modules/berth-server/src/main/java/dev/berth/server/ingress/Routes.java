package dev.berth.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.IngressRules;
import dev.berth.api.app.ManagedEnvironment;
import dev.berth.api.app.Revision;
import dev.berth.api.app.TrafficTable;
import dev.berth.ingress.Backend;
import dev.berth.ingress.CorsPolicy;
import dev.berth.ingress.IngressPolicy;
import dev.berth.server.ingress.HostRoute.RevisionTarget;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every host name the ingress serves, computed from the stored documents (environments, apps,
 * revisions, replicas): {@code <app>.<domain>} follows the app's traffic table, {@code
 * <revision>.<domain>} (the revision's name is {@code <app>--<suffix>}) and {@code
 * <app>---<label>.<domain>} name one revision; an internal app's names sit under {@code
 * internal.<domain>}. Within an environment an app is also called by its bare name ({@code
 * http://<app>}, as in Container Apps): a name that only the environment's own replicas resolve and
 * are served. Pure; immutable and thread-safe.
 *
 * @param hosts lower-case host name → its route
 * @param domains every environment's {@code defaultDomain}, lower case (the names certificates are
 *     issued for)
 * @param names environment key → the lower-case bare names of its apps with ingress → their routes
 * @param callers a replica's address → its environment's key
 * @param environments an app's key ({@link ResourceId#key()}) → its environment's key
 * @param internal an internal app's host name (of {@code hosts}) → its environment's key
 */
record Routes(
    Map<String, HostRoute> hosts,
    Set<String> domains,
    Map<String, Map<String, HostRoute>> names,
    Map<String, String> callers,
    Map<String, String> environments,
    Map<String, String> internal) {

  static final Routes EMPTY =
      new Routes(Map.of(), Set.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /**
   * Names a replica's own {@code /etc/hosts} lines already give (localhost's): an app so named is
   * not called by its bare name.
   */
  static final Set<String> RESERVED = Set.of("localhost", "ip6-localhost", "ip6-loopback");

  Routes {
    hosts = Map.copyOf(hosts);
    domains = Set.copyOf(domains);
    names = Map.copyOf(names);
    callers = Map.copyOf(callers);
    environments = Map.copyOf(environments);
    internal = Map.copyOf(internal);
  }

  /**
   * The route of the app named {@code name} (bare, lower case) in the environment of the replica at
   * {@code caller}; null when the caller is no replica or its environment has no such app.
   */
  HostRoute named(String name, String caller) {
    String environment = callers.get(caller);
    return environment == null ? null : names.getOrDefault(environment, Map.of()).get(name);
  }

  /** The bare names the replicas of the app whose key is {@code app} call their neighbours by. */
  Set<String> namesFor(String app) {
    String environment = environments.get(app);
    return environment == null ? Set.of() : names.getOrDefault(environment, Map.of()).keySet();
  }

  /**
   * The names a replica of the app whose key is {@code app} resolves at the ingress: every external
   * app's, its own environment's internal apps' and the bare names of its neighbours. Another
   * environment's internal apps are not named to it at all: they would only answer it 404.
   */
  Set<String> hostsFor(String app) {
    String environment = environments.get(app);
    Set<String> all = new HashSet<>(namesFor(app));
    hosts.keySet().stream()
        .filter(h -> !internal.containsKey(h) || internal.get(h).equals(environment))
        .forEach(all::add);
    return all;
  }

  /** The routes these documents make; documents of other types are ignored. */
  static Routes of(
      List<StoredResource> environments,
      List<StoredResource> apps,
      List<StoredResource> revisions,
      List<StoredResource> replicas) {
    Map<String, String> domainOf = new HashMap<>();
    for (StoredResource e : environments) {
      String domain = ManagedEnvironment.of(e.id(), e.body()).defaultDomain();
      if (!domain.isBlank()) {
        domainOf.put(e.id().key(), domain.toLowerCase(Locale.ROOT));
      }
    }
    Map<String, List<Revision>> revisionsOf =
        revisions.stream()
            .map(r -> Revision.of(r.id(), r.body()))
            .collect(Collectors.groupingBy(r -> parentKey(r.id())));
    Map<String, List<JsonNode>> replicasOf =
        replicas.stream()
            .collect(
                Collectors.groupingBy(
                    r -> parentKey(r.id()),
                    Collectors.mapping(StoredResource::body, Collectors.toList())));
    List<ContainerApp> all = apps.stream().map(d -> ContainerApp.of(d.id(), d.body())).toList();
    Map<String, Set<String>> addressesIn = replicaAddresses(all, revisionsOf, replicasOf);
    Map<String, HostRoute> hosts = new HashMap<>();
    Map<String, Map<String, HostRoute>> names = new HashMap<>();
    Map<String, String> environmentOf = new HashMap<>();
    Map<String, String> internal = new HashMap<>();
    for (ContainerApp app : all) {
      Optional<String> environment = app.environmentId().map(ResourceId::key);
      Optional<String> domain = environment.map(domainOf::get);
      if (domain.isPresent()) {
        // Its replicas call their neighbours by name, with ingress of its own or not.
        environmentOf.put(app.id().key(), environment.get());
      }
      if (domain.isEmpty() || app.ingress().isEmpty()) {
        continue; // no ingress, or an environment that is gone: no host name
      }
      List<Revision> own = revisionsOf.getOrDefault(app.id().key(), List.of());
      HostRoute route =
          appRoute(app, own, replicasOf, addressesIn.getOrDefault(environment.get(), Set.of()));
      // Internal ingress answers under internal.<domain>, as Container Apps' does.
      String suffix = (route.policy().internal() ? ".internal." : ".") + domain.get();
      String name = app.name().toLowerCase(Locale.ROOT);
      Map<String, HostRoute> named = new HashMap<>();
      named.put(name + suffix, route);
      if (!RESERVED.contains(name)) {
        names.computeIfAbsent(environment.get(), e -> new HashMap<>()).put(name, route.byName());
      }
      for (Revision r : own) {
        if (r.active()) {
          named.put(r.name().toLowerCase(Locale.ROOT) + suffix, route.pinnedTo(r.name()));
        }
      }
      route
          .traffic()
          .labels()
          .forEach((label, rev) -> named.put(name + "---" + label + suffix, route.pinnedTo(rev)));
      hosts.putAll(named);
      if (route.policy().internal()) {
        named.keySet().forEach(h -> internal.put(h, environment.get()));
      }
    }
    Set<String> domains = new HashSet<>();
    for (String d : domainOf.values()) {
      domains.add(d);
      domains.add("internal." + d); // its own wildcard: a wildcard covers one label
    }
    // Replicas of apps in an environment that is gone keep no environment: no name answers them.
    Map<String, String> callers = new HashMap<>();
    addressesIn.forEach(
        (environment, addresses) -> {
          if (domainOf.containsKey(environment)) {
            addresses.forEach(a -> callers.put(a, environment));
          }
        });
    return new Routes(hosts, domains, names, callers, environmentOf, internal);
  }

  /**
   * Each environment's replicas' addresses, by the environment's key: the callers its internal apps
   * answer. Every replica with an address counts, ready or not: a replica calls out while its own
   * probe is still failing.
   */
  private static Map<String, Set<String>> replicaAddresses(
      List<ContainerApp> apps,
      Map<String, List<Revision>> revisionsOf,
      Map<String, List<JsonNode>> replicasOf) {
    Map<String, Set<String>> addressesIn = new HashMap<>();
    for (ContainerApp app : apps) {
      Optional<String> environment = app.environmentId().map(ResourceId::key);
      if (environment.isEmpty()) {
        continue;
      }
      Set<String> addresses = addressesIn.computeIfAbsent(environment.get(), e -> new HashSet<>());
      for (Revision r : revisionsOf.getOrDefault(app.id().key(), List.of())) {
        for (JsonNode replica : replicasOf.getOrDefault(r.id().key(), List.of())) {
          String address = replica.path("properties").path("address").asText("");
          if (!address.isBlank()) {
            addresses.add(address);
          }
        }
      }
    }
    return addressesIn;
  }

  private static HostRoute appRoute(
      ContainerApp app,
      List<Revision> revisions,
      Map<String, List<JsonNode>> replicasOf,
      Set<String> environmentReplicas) {
    ContainerApp.Ingress ingress = app.ingress().orElseThrow();
    TrafficTable traffic = TrafficTable.of(app, revisions);
    Map<String, RevisionTarget> targets = new HashMap<>();
    for (Revision r : revisions) {
      // An inactive revision runs no replica and none will start for it: a request must not wait
      // at the activator for one (it held every request for 240 s when no revision was active).
      Optional<String> failure =
          r.hasFailed()
              ? Optional.of(r.provisioningError().orElse("Its revision " + r.name() + " failed."))
              : r.active()
                  ? Optional.empty()
                  : Optional.of(
                      "Its revision "
                          + r.name()
                          + " is not active; activate a revision to serve requests.");
      List<Backend> backends = new ArrayList<>();
      if (ingress.targetPort() > 0) {
        for (JsonNode replica : replicasOf.getOrDefault(r.id().key(), List.of())) {
          readyAddress(replica).ifPresent(a -> backends.add(new Backend(a, ingress.targetPort())));
        }
      }
      targets.put(
          r.name().toLowerCase(Locale.ROOT), new RevisionTarget(r.id().value(), backends, failure));
    }
    return new HostRoute(
        app.name(),
        app.allowInsecure(),
        cannotServe(ingress),
        app.latestRevisionName(),
        Optional.empty(),
        traffic,
        targets,
        internal(policy(ingress, app.ingressRules()), environmentReplicas));
  }

  /** An internal app answers only its own environment's replicas (external ones: anyone). */
  private static IngressPolicy internal(IngressPolicy policy, Set<String> environmentReplicas) {
    return policy.internal() ? policy.withInsiders(environmentReplicas) : policy;
  }

  /** What the edge enforces for the app, computed once per rebuild. */
  static IngressPolicy policy(ContainerApp.Ingress ingress, IngressRules rules) {
    List<IngressRules.IpRestriction> ip = rules.ipSecurityRestrictions();
    return new IngressPolicy(
        !ingress.external(),
        ip.stream().map(IngressRules.IpRestriction::range).toList(),
        // The control plane keeps every rule to one action; the first one's is all of theirs.
        !ip.isEmpty() && ip.get(0).allow(),
        rules.sticky(),
        rules
            .cors()
            .map(
                c ->
                    CorsPolicy.of(
                        c.allowedOrigins(),
                        c.allowedMethods(),
                        c.allowedHeaders(),
                        c.exposeHeaders(),
                        c.maxAge(),
                        c.allowCredentials())),
        ingress.transport().equalsIgnoreCase("http2"));
  }

  /** Why no request for the app can be served, whichever revision a request would go to. */
  private static Optional<String> cannotServe(ContainerApp.Ingress ingress) {
    if (ingress.targetPort() < 1) {
      return Optional.of("Its ingress names no targetPort.");
    }
    return Optional.empty();
  }

  /** A replica's address when its container is ready for requests. */
  private static Optional<String> readyAddress(JsonNode replica) {
    JsonNode p = replica.path("properties");
    boolean ready =
        p.path("runningState").asText().equals("Running")
            && p.path("containers").path(0).path("ready").asBoolean(false);
    String address = p.path("address").asText("");
    return ready && !address.isBlank() ? Optional.of(address) : Optional.empty();
  }

  private static String parentKey(ResourceId id) {
    return id.parent().map(ResourceId::key).orElse("");
  }
}
