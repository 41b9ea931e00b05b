package dev.berth.server.ingress;

import static dev.berth.server.ingress.RouteDocs.DOMAIN;
import static dev.berth.server.ingress.RouteDocs.app;
import static dev.berth.server.ingress.RouteDocs.environment;
import static dev.berth.server.ingress.RouteDocs.replica;
import static dev.berth.server.ingress.RouteDocs.revision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.ResourceId;
import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.IngressPolicy;
import dev.berth.store.StoredResource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Documents in, routes out: which host leads to which replicas, without runc. */
class RoutesTest {

  static final String EXTERNAL = "{\"external\":true,\"targetPort\":8080}";
  static final String T1 = "2026-01-01T00:00:00Z";
  static final String T2 = "2026-01-02T00:00:00Z";

  static Routes routes(
      List<StoredResource> apps, List<StoredResource> revs, List<StoredResource> reps) {
    return Routes.of(List.of(environment()), apps, revs, reps);
  }

  static AppRoute at(Routes routes, String host, double u) {
    return routes.hosts().get(host).route(u);
  }

  @Test
  void theAppsHostLeadsToTheReadyReplicasOfItsRunningRevisionAtTheTargetPort() {
    Routes r =
        routes(
            List.of(app("web", "Single", EXTERNAL, "web--v1")),
            List.of(revision("web", "web--v1", T1, "running")),
            List.of(
                replica("web", "web--v1", "web--v1-0", "10.213.0.5", true),
                replica("web", "web--v1", "web--v1-1", "10.213.0.6", false)));

    AppRoute route = at(r, "web." + DOMAIN, 0.5);
    assertThat(route.backends()).containsExactly(new Backend("10.213.0.5", 8080));
    assertThat(route.cannotServe()).isEmpty();
    assertThat(route.allowInsecure()).isFalse();
    assertThat(r.hosts()).containsKeys("web." + DOMAIN, "web--v1." + DOMAIN);
    assertThat(r.domains()).containsExactlyInAnyOrder(DOMAIN, "internal." + DOMAIN);
    assertThat(route.policy()).isEqualTo(IngressPolicy.OPEN);
  }

  @Test
  void anInternalAppAnswersOnlyItsOwnEnvironmentsReplicas() {
    Routes r =
        Routes.of(
            List.of(environment(), RouteDocs.environment2()),
            List.of(
                app("inner", "Single", "{\"external\":false,\"targetPort\":80}", "inner--v1"),
                app("caller", "Single", EXTERNAL, "caller--v1"),
                RouteDocs.appIn(RouteDocs.ENV2, "other", null, "other--v1")),
            List.of(
                revision("inner", "inner--v1", T1, "running"),
                revision("caller", "caller--v1", T1, "running"),
                revision("other", "other--v1", T1, "running")),
            List.of(
                replica("inner", "inner--v1", "i", "10.213.0.2", true),
                // Not ready yet, and calling out already: inside all the same.
                replica("caller", "caller--v1", "c", "10.213.0.3", false),
                replica("other", "other--v1", "o", "10.213.0.4", true)));

    IngressPolicy inner = at(r, "inner.internal." + DOMAIN, 0.5).policy();
    assertThat(inner.insider("10.213.0.2")).isTrue();
    assertThat(inner.insider("10.213.0.3")).isTrue();
    assertThat(inner.insider("10.213.0.4")).as("a replica of another environment").isFalse();
    assertThat(inner.insider("10.213.0.1")).as("the gateway, the host itself").isFalse();
    // External apps keep no list: anyone may call them.
    assertThat(at(r, "caller." + DOMAIN, 0.5).policy().insiders()).isEmpty();
  }

  @Test
  void aBareAppNameLeadsToTheAppOfThatNameInTheCallersOwnEnvironmentOverPlainHttp() {
    Routes r =
        Routes.of(
            List.of(environment(), RouteDocs.environment2()),
            List.of(
                app("inner", "Single", "{\"external\":false,\"targetPort\":80}", "inner--v1"),
                // No ingress: no name of its own, yet its replicas call the others by theirs.
                RouteDocs.appIn(RouteDocs.ENV, "worker", null, "worker--v1"),
                app("localhost", "Single", EXTERNAL, "localhost--v1"),
                RouteDocs.appIn(RouteDocs.ENV2, "other", EXTERNAL, "other--v1")),
            List.of(
                revision("inner", "inner--v1", T1, "running"),
                revision("worker", "worker--v1", T1, "running"),
                revision("other", "other--v1", T1, "running")),
            List.of(
                replica("inner", "inner--v1", "i", "10.213.0.2", true),
                replica("worker", "worker--v1", "w", "10.213.0.3", true),
                replica("other", "other--v1", "o", "10.213.0.4", true)));

    HostRoute named = r.named("inner", "10.213.0.3");
    assertThat(named).isNotNull();
    AppRoute route = named.route(0.5);
    assertThat(route.backends()).containsExactly(new Backend("10.213.0.2", 80));
    // http://<app> is how Container Apps' apps call each other: no redirect to HTTPS.
    assertThat(route.allowInsecure()).isTrue();
    assertThat(at(r, "inner.internal." + DOMAIN, 0.5).allowInsecure()).isFalse();
    assertThat(route.policy().insider("10.213.0.3")).isTrue();

    assertThat(r.named("inner", "10.213.0.4")).as("a replica of another environment").isNull();
    assertThat(r.named("inner", "127.0.0.1")).as("no replica").isNull();
    assertThat(r.named("other", "10.213.0.4")).isNotNull();
    assertThat(r.named("other", "10.213.0.3")).isNull();
    // A replica's own hosts file names localhost already.
    assertThat(r.named("localhost", "10.213.0.3")).isNull();

    String worker = ResourceId.parse(RouteDocs.appId("worker")).key();
    assertThat(r.namesFor(worker)).containsExactly("inner");
    String other = ResourceId.parse(RouteDocs.appId("other")).key();
    assertThat(r.namesFor(other)).containsExactly("other");
    assertThat(r.hosts()).doesNotContainKeys("inner", "other");
  }

  @Test
  void aReplicaIsToldEveryExternalNameButTheInternalOnesOfItsOwnEnvironmentOnly() {
    String internal = "{\"external\":false,\"targetPort\":80}";
    String domain2 = "env2.x.localhost";
    Routes r =
        Routes.of(
            List.of(environment(), RouteDocs.environment2()),
            List.of(
                app("inner", "Single", internal, "inner--v1"),
                RouteDocs.appIn(RouteDocs.ENV, "worker", null, "worker--v1"),
                RouteDocs.appIn(RouteDocs.ENV2, "hidden", internal, "hidden--v1"),
                RouteDocs.appIn(RouteDocs.ENV2, "public", EXTERNAL, "public--v1")),
            List.of(
                revision("inner", "inner--v1", T1, "running"),
                revision("worker", "worker--v1", T1, "running"),
                revision("hidden", "hidden--v1", T1, "running"),
                revision("public", "public--v1", T1, "running")),
            List.of());

    Set<String> worker = r.hostsFor(ResourceId.parse(RouteDocs.appId("worker")).key());
    assertThat(worker)
        .contains("inner", "inner.internal." + DOMAIN, "inner--v1.internal." + DOMAIN)
        .contains("public." + domain2, "public--v1." + domain2)
        .doesNotContain("hidden", "public")
        .noneMatch(h -> h.startsWith("hidden"));
    Set<String> hidden = r.hostsFor(ResourceId.parse(RouteDocs.appId("hidden")).key());
    assertThat(hidden)
        .contains("hidden", "public", "hidden.internal." + domain2, "public." + domain2)
        .noneMatch(h -> h.startsWith("inner"));
    // All of them are still routed: the ingress decides who is answered, not the hosts file.
    assertThat(r.hosts()).containsKeys("inner.internal." + DOMAIN, "hidden.internal." + domain2);
  }

  @Test
  void weightsSplitTheAppsHostAndRevisionAndLabelHostsNameOneRevision() {
    String ingress =
        """
        {"external":true,"targetPort":80,"allowInsecure":true,"traffic":[
          {"revisionName":"web--v1","weight":20,"label":"blue"},
          {"revisionName":"web--v2","weight":80,"label":"green"}]}""";
    Routes r =
        routes(
            List.of(app("web", "Multiple", ingress, "web--v2")),
            List.of(
                revision("web", "web--v1", T1, "running"),
                revision("web", "web--v2", T2, "running")),
            List.of(
                replica("web", "web--v1", "a", "10.213.0.1", true),
                replica("web", "web--v2", "b", "10.213.0.2", true)));

    Backend v1 = new Backend("10.213.0.1", 80);
    Backend v2 = new Backend("10.213.0.2", 80);
    assertThat(at(r, "web." + DOMAIN, 0.1).backends()).containsExactly(v1);
    assertThat(at(r, "web." + DOMAIN, 0.3).backends()).containsExactly(v2);
    assertThat(at(r, "web---blue." + DOMAIN, 0.9).backends()).containsExactly(v1);
    assertThat(at(r, "web---green." + DOMAIN, 0.1).backends()).containsExactly(v2);
    assertThat(at(r, "web--v1." + DOMAIN, 0.9).backends()).containsExactly(v1);
    assertThat(at(r, "web." + DOMAIN, 0.5).allowInsecure()).isTrue();
  }

  @Test
  void eachRouteNamesTheRevisionItChoseAsStored() {
    String ingress =
        """
        {"external":true,"targetPort":80,"traffic":[
          {"revisionName":"Web--V1","weight":20,"label":"blue"},
          {"revisionName":"web--v2","weight":80}]}""";
    Routes r =
        routes(
            List.of(app("web", "Multiple", ingress, "web--v2")),
            List.of(
                revision("web", "Web--V1", T1, "running"),
                revision("web", "web--v2", T2, "failed")),
            List.of(replica("web", "Web--V1", "a", "10.213.0.1", true)));

    assertThat(at(r, "web." + DOMAIN, 0.1).revisionName()).isEqualTo("Web--V1");
    assertThat(at(r, "web." + DOMAIN, 0.9).revisionName()).isEqualTo("web--v2");
    assertThat(at(r, "web---blue." + DOMAIN, 0.9).revisionName()).isEqualTo("Web--V1");
    assertThat(at(r, "web." + DOMAIN, 0.1).revision())
        .as("the key requests are counted and activated by: the revision's id as stored")
        .endsWith("/providers/Microsoft.App/containerApps/web/revisions/Web--V1");

    Routes starting =
        routes(
            List.of(app("web", "Single", EXTERNAL, "web--v1")),
            List.of(revision("web", "web--v1", T1, "provisioning")),
            List.of());
    assertThat(at(starting, "web." + DOMAIN, 0.5).revisionName())
        .as("no revision ready: the newest, which will serve")
        .isEqualTo("web--v1");
  }

  @Test
  void aFailedRevisionAnswersWithItsErrorAndASingleModeUpdateKeepsTheOldOneUntilReady() {
    Routes failed =
        routes(
            List.of(app("web", "Single", EXTERNAL, "web--v1")),
            List.of(revision("web", "web--v1", T1, "failed")),
            List.of());
    assertThat(at(failed, "web." + DOMAIN, 0.5).cannotServe())
        .contains("pull refused: UNAUTHORIZED; AcrPull is missing");
    assertThat(at(failed, "web--v1." + DOMAIN, 0.5).cannotServe()).isPresent();

    Routes handover =
        routes(
            List.of(app("web", "Single", EXTERNAL, "web--v2")),
            List.of(
                revision("web", "web--v1", T1, "running"),
                revision("web", "web--v2", T2, "provisioning")),
            List.of(replica("web", "web--v1", "a", "10.213.0.1", true)));
    assertThat(at(handover, "web." + DOMAIN, 0.99).backends())
        .containsExactly(new Backend("10.213.0.1", 8080));
  }

  @Test
  void noReadyRevisionServesNothingYet() {
    Routes starting =
        routes(
            List.of(app("web", "Single", EXTERNAL, "web--v1")),
            List.of(revision("web", "web--v1", T1, "provisioning")),
            List.of());
    AppRoute route = at(starting, "web." + DOMAIN, 0.5);
    assertThat(route.backends()).isEmpty();
    assertThat(route.cannotServe()).isEmpty();
  }

  @Test
  void anAppWithNoActiveRevisionSaysSoAtOnceRatherThanHoldTheRequest() {
    StoredResource stopped = revision("web", "web--v1", T1, "running");
    ((com.fasterxml.jackson.databind.node.ObjectNode) stopped.body().path("properties"))
        .put("active", false);
    Routes none =
        routes(List.of(app("web", "Single", EXTERNAL, "web--v1")), List.of(stopped), List.of());

    assertThat(at(none, "web." + DOMAIN, 0.5).cannotServe())
        .hasValueSatisfying(why -> assertThat(why).contains("web--v1 is not active"));
  }

  @Test
  void anInternalAppIsServedUnderInternalDotItsDomainForTheEnvironmentOnly() {
    Routes internal =
        routes(
            List.of(app("api", "Single", "{\"external\":false,\"targetPort\":80}", "api--v1")),
            List.of(revision("api", "api--v1", T1, "running")),
            List.of(replica("api", "api--v1", "a", "10.213.0.1", true)));

    assertThat(internal.hosts())
        .containsOnlyKeys("api.internal." + DOMAIN, "api--v1.internal." + DOMAIN);
    AppRoute route = at(internal, "api.internal." + DOMAIN, 0.5);
    assertThat(route.cannotServe()).isEmpty();
    assertThat(route.backends()).containsExactly(new Backend("10.213.0.1", 80));
    assertThat(route.policy().internal()).isTrue();
  }

  @Test
  void theAppsIngressRulesBecomeItsPolicyOnEveryHost() {
    String ingress =
        """
        {"external":true,"targetPort":80,"transport":"http2",
         "ipSecurityRestrictions":[
           {"name":"a","ipAddressRange":"10.0.0.0/8","action":"Deny"},
           {"name":"b","ipAddressRange":"192.168.1.1","action":"Deny"}],
         "stickySessions":{"affinity":"sticky"},
         "corsPolicy":{"allowedOrigins":["https://x.test"],"allowedMethods":["GET"],"maxAge":60}}""";
    Routes r =
        routes(
            List.of(app("web", "Single", ingress, "web--v1")),
            List.of(revision("web", "web--v1", T1, "running")),
            List.of(replica("web", "web--v1", "a", "10.213.0.1", true)));

    for (String host : List.of("web." + DOMAIN, "web--v1." + DOMAIN)) {
      IngressPolicy p = at(r, host, 0.5).policy();
      assertThat(p.internal()).isFalse();
      assertThat(p.allowList()).isFalse();
      assertThat(p.admits(new byte[] {10, 1, 2, 3})).isFalse();
      assertThat(p.admits(new byte[] {(byte) 192, (byte) 168, 1, 1})).isFalse();
      assertThat(p.admits(new byte[] {127, 0, 0, 1})).isTrue();
      assertThat(p.sticky()).isTrue();
      assertThat(p.http2()).isTrue();
      assertThat(p.cors()).hasValueSatisfying(c -> assertThat(c.allows("https://x.test")).isTrue());
      assertThat(p.cors().get().maxAge()).isEqualTo("60");
    }
  }

  @Test
  void anAppWithoutIngressOrEnvironmentHasNoHost() {
    StoredResource noIngress = app("batch", "Single", "null", "batch--v1");
    Routes r =
        Routes.of(
            List.of(), List.of(app("web", "Single", EXTERNAL, "web--v1")), List.of(), List.of());
    assertThat(r.hosts()).isEmpty();
    assertThat(routes(List.of(noIngress), List.of(), List.of()).hosts()).isEmpty();
    assertThat(
            Optional.ofNullable(routes(List.of(), List.of(), List.of()).hosts().get("x." + DOMAIN)))
        .isEmpty();
  }
}
