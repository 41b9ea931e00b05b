package dev.berth.reconciler.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosisTest {

  @Test
  void eachFindingIsOneCauseWithItsFixCommandsIndentedBelowInTheOrderToFixThem() {
    Diagnosis d =
        new Diagnosis(
            List.of(
                new Finding(
                    CauseCode.ARM_AUDIENCE_DISABLED,
                    "myacr refuses ARM-audience tokens",
                    "Its azureADAuthenticationAsArmPolicy is disabled.",
                    List.of(),
                    "berth acr config authentication-as-arm update -r myacr --status enabled"),
                new Finding(
                    CauseCode.SYSTEM_IDENTITY_MISSING,
                    "App 'web' has no system-assigned identity",
                    "Why.",
                    List.of(),
                    "one\ntwo")),
            "unused");

    assertThat(d.render())
        .isEqualTo(
            """
            Berth's diagnosis:
            - App 'web' has no system-assigned identity. Why.
              Fix: one
                   two
            - myacr refuses ARM-audience tokens. Its azureADAuthenticationAsArmPolicy is disabled.
              Fix: berth acr config authentication-as-arm update -r myacr --status enabled""");
  }

  @Test
  void noFindingsRendersTheSentenceForNone() {
    assertThat(new Diagnosis(List.of(), "nothing here.").render())
        .isEqualTo("Berth's diagnosis: nothing here.");
    assertThat(new Diagnosis(List.of(), "").render()).isEmpty();
  }

  private static final ResourceId V1 =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.App/containerApps/web/revisions/web--v1");

  @Test
  void everyDiagnosisEndsWithWhenBerthRetriesAndTheCommandThatRetriesNow() {
    Diagnosis found =
        new Diagnosis(
                List.of(
                    new Finding(
                        CauseCode.TAG_NOT_FOUND,
                        "Tag x does not exist in api",
                        "Why.",
                        List.of(),
                        "f")),
                "")
            .withRetry(V1, Duration.ofMillis(4200));
    Diagnosis none = new Diagnosis(List.of(), "no cause.").withRetry(V1, Duration.ofSeconds(80));

    assertThat(found.render())
        .endsWith(
            "\n  Fix: f\nBerth retries by itself (next try in 5 s); to retry now:"
                + " `berth containerapp revision restart -n web -g rg1 --revision web--v1`");
    assertThat(none.render())
        .isEqualTo(
            "Berth's diagnosis: no cause.\nBerth retries by itself (next try in 80 s); to retry"
                + " now: `berth containerapp revision restart -n web -g rg1 --revision web--v1`");
  }

  @Test
  void theStructuredFormCarriesCodeResourcesSentenceAndBothFixes() {
    Diagnosis d =
        new Diagnosis(
                List.of(
                    new Finding(
                        CauseCode.ARM_AUDIENCE_DISABLED,
                        "myacr refuses ARM-audience tokens",
                        "Why.",
                        List.of(
                            "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/myacr"),
                        "berth acr config authentication-as-arm update -r myacr --status enabled")),
                "")
            .withRetry(V1, Duration.ofSeconds(10));

    JsonNode json = d.toJson();

    assertThat(json.path("healthy").asBoolean()).isFalse();
    JsonNode f = json.path("findings").path(0);
    assertThat(f.path("code").asText()).isEqualTo("ARM_AUDIENCE_DISABLED");
    assertThat(f.path("resources").path(0).asText()).endsWith("/registries/myacr");
    assertThat(f.path("cause").asText()).isEqualTo("myacr refuses ARM-audience tokens");
    assertThat(f.path("fix").path("berth").path(0).asText())
        .isEqualTo("berth acr config authentication-as-arm update -r myacr --status enabled");
    assertThat(f.path("fix").path("az").path(0).asText())
        .isEqualTo("az acr config authentication-as-arm update -r myacr --status enabled");
    assertThat(json.path("retry").path("nextTryInSeconds").asLong()).isEqualTo(10);
    assertThat(json.path("retry").path("az").asText())
        .isEqualTo("az containerapp revision restart -n web -g rg1 --revision web--v1");
  }

  @Test
  void aHealthyRevisionsDiagnosisSaysNothingIsWrong() {
    Diagnosis d = Diagnosis.healthy(V1);

    assertThat(d.toJson().path("healthy").asBoolean()).isTrue();
    assertThat(d.render())
        .isEqualTo("Berth's diagnosis: nothing is wrong: revision web--v1 pulled its image.");
  }
}
