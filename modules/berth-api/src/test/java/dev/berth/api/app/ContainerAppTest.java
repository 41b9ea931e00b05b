package dev.berth.api.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp.RevisionMode;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The app view reads what the control plane stores, and reads a sparse document as defaults. */
class ContainerAppTest {

  static final String RG = "/subscriptions/s1/resourceGroups/rg";
  static final ResourceId APP = ResourceId.parse(RG + "/providers/Microsoft.App/containerApps/web");
  static final String UAMI =
      RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull";
  static final String ENV = RG + "/providers/Microsoft.App/managedEnvironments/env";

  static ContainerApp app(String json) throws Exception {
    return ContainerApp.of(APP, new ObjectMapper().readTree(json));
  }

  static final String STORED =
      """
      {"identity":{"type":"SystemAssigned,UserAssigned","principalId":"p-sys","tenantId":"t1",
        "userAssignedIdentities":{"%s":{"principalId":"p-uami","clientId":"c-uami"}}},
       "berth":{"systemIdentityClientId":"c-sys","awaitRevision":"web--v2"},
       "properties":{"environmentId":"%s","managedEnvironmentId":"%s","latestRevisionName":"web--v2",
        "configuration":{"activeRevisionsMode":"Multiple",
          "secrets":[{"name":"db","value":"sealed:v1:x"},{"name":"kv","keyVaultUrl":"https://v/s","identity":"system"}],
          "registries":[{"server":"localhost:5001","identity":"system"},
                        {"server":"other.io","username":"u","passwordSecretRef":"db"}],
          "ingress":{"external":true,"targetPort":8080,"transport":"http","fqdn":"web.env.local.berth"}},
        "template":{"terminationGracePeriodSeconds":5,"scale":{"minReplicas":2,"maxReplicas":3},
          "containers":[{"name":"api","image":"localhost:5001/api:1","command":["/bin/app"],
            "args":["-v"],"resources":{"cpu":0.5,"memory":"1Gi"},
            "env":[{"name":"A","value":"1"},{"name":"B","secretRef":"db"}],
            "probes":[{"type":"Readiness","httpGet":{"path":"/ready","port":8080},"periodSeconds":3}]}]}}}
      """
          .formatted(UAMI, ENV, ENV);

  @Test
  void readsTheIdentityBlockWithTheHiddenClientIdAndFindsAUserAssignedOneByItsId()
      throws Exception {
    ManagedServiceIdentity identity = app(STORED).identity();

    assertThat(identity.systemAssigned()).isTrue();
    assertThat(identity.principalId()).contains("p-sys");
    assertThat(identity.tenantId()).contains("t1");
    assertThat(identity.systemClientId()).contains("c-sys");
    assertThat(identity.userAssigned())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.principalId()).contains("p-uami");
              assertThat(u.id()).contains(ResourceId.parse(UAMI));
            });
    assertThat(identity.userAssigned(UAMI.toUpperCase(Locale.ROOT))).isPresent();
    assertThat(identity.userAssigned(UAMI + "x")).isEmpty();
  }

  @Test
  void readsConfigurationSecretsSealedAndRegistriesByServer() throws Exception {
    ContainerApp app = app(STORED);

    assertThat(app.environmentId()).contains(ResourceId.parse(ENV));
    assertThat(app.inEnvironment(ResourceId.parse(ENV.toUpperCase(Locale.ROOT)))).isTrue();
    assertThat(app.activeRevisionsMode()).isEqualTo(RevisionMode.Multiple);
    assertThat(app.latestRevisionName()).contains("web--v2");
    assertThat(app.awaitedRevision()).contains("web--v2");
    assertThat(app.secret("DB").flatMap(ContainerApp.Secret::value)).contains("sealed:v1:x");
    assertThat(app.secret("kv").orElseThrow().value()).isEmpty();
    assertThat(app.secret("kv").orElseThrow().identity()).contains("system");
    assertThat(app.registry("127.0.0.1:5001").flatMap(ContainerApp.RegistryCredentials::identity))
        .contains("system");
    assertThat(app.registry("https://OTHER.io/").orElseThrow().passwordSecretRef()).contains("db");
    assertThat(app.registry("docker.io")).isEmpty();
    assertThat(app.ingress())
        .contains(new ContainerApp.Ingress(true, 8080, "http", Optional.of("web.env.local.berth")));
  }

  @Test
  void readsTheTemplateContainersAndScale() throws Exception {
    Template template = app(STORED).template();

    assertThat(template.scale()).isEqualTo(new Template.Scale(2, 3));
    assertThat(template.terminationGracePeriod()).hasSeconds(5);
    Container api = template.containers().get(0);
    assertThat(api.name()).isEqualTo("api");
    assertThat(api.command()).containsExactly("/bin/app");
    assertThat(api.args()).containsExactly("-v");
    assertThat(api.cpu()).isEqualTo(0.5);
    assertThat(api.memory()).isEqualTo("1Gi");
    assertThat(api.env())
        .extracting(Container.EnvVar::name, Container.EnvVar::secretRef)
        .containsExactly(Tuple.tuple("A", Optional.empty()), Tuple.tuple("B", Optional.of("db")));
    assertThat(api.probes())
        .containsExactly(
            new Container.Probe(
                "Readiness", true, "HTTP", "/ready", OptionalInt.of(8080), 1, 3, 3, 0));
  }

  @Test
  void aSparseDocumentReadsAsContainerAppsDefaults() throws Exception {
    ContainerApp app =
        app("{\"identity\":{\"type\":\"None\"},\"properties\":{\"environmentId\":5}}");

    assertThat(app.identity().systemAssigned()).isFalse();
    assertThat(app.identity().userAssigned()).isEmpty();
    assertThat(app.environmentId()).isEmpty();
    assertThat(app.activeRevisionsMode()).isEqualTo(RevisionMode.Single);
    assertThat(app.secrets()).isEmpty();
    assertThat(app.registries()).isEmpty();
    assertThat(app.ingress()).isEmpty();
    assertThat(app.awaitedRevision()).isEmpty();
    assertThat(app.template().scale()).isEqualTo(new Template.Scale(0, 10));
    assertThat(app.template().terminationGracePeriod()).hasSeconds(30);
    assertThat(app.template().containers()).isEmpty();
  }

  @Test
  void theLegacyEnvironmentFieldStillNamesTheEnvironment() throws Exception {
    ContainerApp app = app("{\"properties\":{\"managedEnvironmentId\":\"" + ENV + "\"}}");

    assertThat(app.environmentId()).contains(ResourceId.parse(ENV));
    assertThat(app.inEnvironment(ResourceId.parse(ENV))).isTrue();
  }
}
