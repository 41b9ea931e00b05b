package dev.berth.reconciler.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosisTest {

  @Test
  void eachFindingIsOneCauseWithItsFixCommandsIndentedBelow() {
    Diagnosis d =
        new Diagnosis(
            List.of(
                new Finding(
                    "myacr refuses ARM-audience tokens",
                    "Its azureADAuthenticationAsArmPolicy is disabled.",
                    "berth acr config authentication-as-arm update -r myacr --status enabled"),
                new Finding("App 'web' has no system-assigned identity", "Why.", "one\ntwo")),
            "unused");

    assertThat(d.render())
        .isEqualTo(
            """
            Berth's diagnosis:
            - myacr refuses ARM-audience tokens. Its azureADAuthenticationAsArmPolicy is disabled.
              Fix: berth acr config authentication-as-arm update -r myacr --status enabled
            - App 'web' has no system-assigned identity. Why.
              Fix: one
                   two""");
  }

  @Test
  void noFindingsRendersTheSentenceForNone() {
    assertThat(new Diagnosis(List.of(), "nothing here.").render())
        .isEqualTo("Berth's diagnosis: nothing here.");
    assertThat(new Diagnosis(List.of(), "").render()).isEmpty();
  }
}
