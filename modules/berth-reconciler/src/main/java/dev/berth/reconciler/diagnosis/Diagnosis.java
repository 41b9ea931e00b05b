package dev.berth.reconciler.diagnosis;

import java.util.List;

/**
 * What Berth found wrong behind a failed image pull: the causes that hold, most fundamental first,
 * and the sentence to show when none does. Immutable.
 *
 * @param findings the verified causes, in the order a person would check them
 * @param nothingFound what {@link #render()} says when there are no findings; empty to say nothing
 */
public record Diagnosis(List<Finding> findings, String nothingFound) {

  public Diagnosis {
    findings = List.copyOf(findings);
  }

  /**
   * The text to append, after a newline, to Container Apps' own message (the revision's {@code
   * provisioningError}):
   *
   * <pre>
   * Berth's diagnosis:
   * - myacr refuses ARM-audience tokens. Its azureADAuthenticationAsArmPolicy is disabled, …
   *   Fix: berth acr config authentication-as-arm update -r myacr --status enabled
   * </pre>
   *
   * An empty string when there are no findings and nothing to say.
   */
  public String render() {
    if (findings.isEmpty()) {
      return nothingFound.isBlank() ? "" : "Berth's diagnosis: " + nothingFound;
    }
    StringBuilder text = new StringBuilder("Berth's diagnosis:");
    for (Finding f : findings) {
      text.append("\n- ").append(f.cause()).append(". ").append(f.explanation());
      String[] commands = f.fix().split("\n");
      text.append("\n  Fix: ").append(commands[0]);
      for (int i = 1; i < commands.length; i++) {
        text.append("\n       ").append(commands[i]);
      }
    }
    return text.toString();
  }
}
