package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Edit and deploy form's round trip, image references and action patterns. */
class ContainerAppFormsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REG =
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr";

  private static AppView app() throws Exception {
    JsonNode app =
        JSON.readTree(
            """
            {"name":"web","identity":{"type":"UserAssigned","userAssignedIdentities":
              {"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull":
                {"principalId":"p-1"}}},
             "properties":{"configuration":{"registries":[
                {"server":"acr.localhost:5000","username":"acr","passwordSecretRef":"pw"},
                {"server":"other.io","identity":"system"}]},
              "template":{"containers":[
                {"name":"api","image":"acr.localhost:5000/team/api:1","env":[{"name":"A","value":"1"}],
                 "probes":[{"type":"Readiness","tcpSocket":{"port":80}}]},
                {"name":"side","image":"busybox"}]}}}
            """);
    return new AppView(
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/web", app);
  }

  @Test
  void theFormReadsTheAppsFirstContainerAndItsRegistryEntry() throws Exception {
    DeployForm form =
        DeployForm.of(
            app(), List.of(new DeployForm.RegistryOption(REG, "acr", "acr.localhost:5000")));

    assertThat(form.source()).isEqualTo(DeployForm.BERTH);
    assertThat(form.registryId()).isEqualTo(REG);
    assertThat(form.repository()).isEqualTo("team/api");
    assertThat(form.tag()).isEqualTo("1");
    assertThat(form.auth()).isEqualTo(DeployForm.ADMIN);
    assertThat(form.passwordSecret()).isEqualTo("pw");
    assertThat(form.env()).containsExactly(new DeployForm.Env("A", "1", ""));
  }

  @Test
  void savingReplacesTheContainerAndTheEntryOfItsServerOnly() throws Exception {
    Form posted =
        new Form(
            Map.ofEntries(
                Map.entry("container", List.of("api")),
                Map.entry("source", List.of("berth")),
                Map.entry("registry", List.of(REG)),
                Map.entry("repository", List.of("team/api")),
                Map.entry("tag", List.of("2")),
                Map.entry("auth", List.of("identity")),
                Map.entry("identity", List.of("system")),
                Map.entry("cpu", List.of("0.5")),
                Map.entry("memory", List.of("1Gi")),
                Map.entry("envName", List.of("A", "B", "")),
                Map.entry("envValue", List.of("2", "", "")),
                Map.entry("envSecret", List.of("", "pw", "")),
                Map.entry("livenessPath", List.of("/healthz")),
                Map.entry("livenessPort", List.of("8080"))));
    DeployForm form = DeployForm.of(posted);
    String image = form.imageFor("acr.localhost:5000");
    JsonNode patch = form.patch(app(), image);

    assertThat(image).isEqualTo("acr.localhost:5000/team/api:2");
    JsonNode api = patch.at("/properties/template/containers/0");
    assertThat(api.path("image").asText()).isEqualTo(image);
    assertThat(api.at("/resources/cpu").asDouble()).isEqualTo(0.5);
    assertThat(api.path("env").toString())
        .isEqualTo("[{\"name\":\"A\",\"value\":\"2\"},{\"name\":\"B\",\"secretRef\":\"pw\"}]");
    assertThat(api.path("probes").toString())
        .contains("Readiness", "\"type\":\"Liveness\"", "\"path\":\"/healthz\"", "\"port\":8080");
    assertThat(patch.at("/properties/template/containers/1/name").asText()).isEqualTo("side");
    assertThat(patch.at("/properties/configuration/registries").toString())
        .isEqualTo(
            "[{\"server\":\"other.io\",\"identity\":\"system\"},"
                + "{\"server\":\"acr.localhost:5000\",\"identity\":\"system\"}]");
  }

  @Test
  void imageReferencesSplitAsDistributionReadsThem() {
    assertThat(ImageRef.server("busybox")).isEmpty();
    assertThat(ImageRef.server("library/busybox:1")).isEmpty();
    assertThat(ImageRef.server("localhost/x")).isEqualTo("localhost");
    assertThat(ImageRef.server("acr.io:5000/a/b:1")).isEqualTo("acr.io:5000");
    assertThat(ImageRef.repository("acr.io:5000/a/b:1@sha256:00")).isEqualTo("a/b");
    assertThat(ImageRef.tag("acr.io:5000/a/b")).isEmpty();
  }

  @Test
  void actionPatternsMatchAsArmReadsThem() {
    assertThat(Permissions.glob("*").matcher("microsoft.app/containerapps/write").matches())
        .isTrue();
    assertThat(Permissions.glob("*/read").matcher("microsoft.app/containerapps/write").matches())
        .isFalse();
    assertThat(
            Permissions.glob("Microsoft.Authorization/*/Write")
                .matcher("microsoft.authorization/roleassignments/write")
                .matches())
        .isTrue();
    assertThat(Permissions.glob("a.b").matcher("axb").matches()).isFalse();
  }

  @Test
  void theAppKnowsItsIdentitiesPrincipals() throws Exception {
    AppView app = app();
    assertThat(app.hasSystemIdentity()).isFalse();
    assertThat(
            app.principalOf(
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/PULL"))
        .hasValue("p-1");
    assertThat(app.principalOf("system")).isEmpty();
  }
}
