package dev.berth.controlplane.providers.containerregistry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.Registry;
import dev.berth.controlplane.providers.containerregistry.ImageImports;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The body of {@code importImage}, as az acr import sends it, read or refused naming the field. */
class ImportImageParametersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SOURCE_ID =
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/srcacr";

  /** The one Berth registry these tests know: srcacr, at srcacr.azurecr.io.localhost:5001. */
  private static Registry berthRegistry(ResourceId id) {
    ObjectNode doc = JSON.createObjectNode();
    doc.putObject("properties").put("loginServer", "srcacr.azurecr.io.localhost:5001");
    return Registry.from(id, doc);
  }

  private static ImageImports.Request parse(String json) throws Exception {
    return ImportImageParameters.parse(
        (ObjectNode) JSON.readTree(json), ImportImageParametersTest::berthRegistry);
  }

  @Test
  void aResourceIdNamesOneOfBerthsRegistriesAndIsCopiedInPlace() throws Exception {
    ImageImports.Request r =
        parse(
            "{\"source\":{\"resourceId\":\""
                + SOURCE_ID
                + "\",\"sourceImage\":\"team/api:1\"},\"targetTags\":[\"api:1\"]}");

    assertThat(r.berthSource().map(Registry::name)).contains("srcacr");
    assertThat(r.registryUri()).isEqualTo("srcacr.azurecr.io.localhost:5001");
    assertThat(r.source()).isEqualTo("srcacr.azurecr.io.localhost:5001/team/api:1");
    assertThat(r.credentials()).isEmpty();
  }

  @Test
  void azsBodyIsReadWithItsCredentialsTagsAndMode() throws Exception {
    ImageImports.Request r =
        parse(
            """
            {"source":{"registryUri":"Localhost:5001","sourceImage":"team/api:1",
             "credentials":{"username":"u","password":"p"}},
             "targetTags":["copy/api:2"],"untaggedTargetRepositories":["raw"],"mode":"Force"}""");

    assertThat(r.registryUri()).isEqualTo("localhost:5001");
    assertThat(r.repository()).isEqualTo("team/api");
    assertThat(r.reference()).isEqualTo("1");
    assertThat(r.credentials()).contains(new ImageImports.Credentials("u", "p"));
    assertThat(r.credentials().orElseThrow().toString()).doesNotContain("p]").contains("***");
    assertThat(r.targetTags()).containsExactly(new ImageImports.TargetTag("copy/api", "2"));
    assertThat(r.untaggedRepositories()).containsExactly("raw");
    assertThat(r.force()).isTrue();
  }

  @Test
  void withoutTargetsTheSourcesOwnTagIsTheTarget() throws Exception {
    ImageImports.Request r =
        parse("{\"source\":{\"registryUri\":\"reg.example.com\",\"sourceImage\":\"api\"}}");

    assertThat(r.targetTags()).isEqualTo(List.of(new ImageImports.TargetTag("api", "latest")));
    assertThat(r.force()).isFalse();
    assertThat(r.credentials()).isEmpty();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|source",
        "{\"source\":{\"resourceId\":\"/subscriptions/s/x\",\"sourceImage\":\"a:b\"}}|source.resourceId",
        "{\"source\":{\"resourceId\":\"/subscriptions/s/resourceGroups/g/providers/Microsoft.App"
            + "/containerApps/a\",\"sourceImage\":\"a:b\"}}|source.resourceId",
        "{\"source\":{\"resourceId\":7,\"sourceImage\":\"a:b\"}}|source.resourceId",
        "{\"source\":{\"resourceId\":\"/subscriptions/s/resourceGroups/g/providers/Microsoft"
            + ".ContainerRegistry/registries/r\",\"registryUri\":\"reg\",\"sourceImage\":\"a\"}}"
            + "|source.resourceId",
        "{\"source\":{\"registryUri\":\"https://reg/x\",\"sourceImage\":\"a:b\"}}|source.registryUri",
        "{\"source\":{\"registryUri\":\"u@reg\",\"sourceImage\":\"a:b\"}}|source.registryUri",
        "{\"source\":{\"registryUri\":\"reg\"}}|source.sourceImage",
        "{\"source\":{\"registryUri\":\"reg\",\"sourceImage\":\"../a:b\"}}|source.sourceImage",
        "{\"source\":{\"registryUri\":\"reg\",\"sourceImage\":\"a@sha256:12\"}}|source.sourceImage",
        "{\"source\":{\"registryUri\":\"reg\",\"sourceImage\":\"a@sha256:"
            + "0000000000000000000000000000000000000000000000000000000000000000\"}}|targetTags",
        "{\"source\":{\"registryUri\":\"reg\",\"sourceImage\":\"a\",\"credentials\":{}}}"
            + "|source.credentials.password",
        "{\"source\":{\"registryUri\":\"reg\",\"sourceImage\":\"a\"},\"targetTags\":\"x\"}|targetTags",
        "{\"source\":{\"registryUri\":\"reg\",\"sourceImage\":\"a\"},\"targetTags\":[\"A:b\"]}"
            + "|targetTags",
        "{\"source\":{\"registryUri\":\"reg\",\"sourceImage\":\"a\"},\"mode\":\"Maybe\"}|mode"
      })
  void badBodiesAreRefusedNamingTheField(String body, String target) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            ArmException.class,
            e -> {
              assertThat(e.code().name()).isEqualTo("InvalidParameter");
              assertThat(e.target()).isEqualTo(target);
            });
  }
}
