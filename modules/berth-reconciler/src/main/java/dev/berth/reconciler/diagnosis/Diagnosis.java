package dev.berth.reconciler.diagnosis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Berth found wrong behind a failed image pull: the causes that hold, in the order they must
 * be fixed ({@link CauseCode}'s order), the sentence to show when none does, and when the pull is
 * tried next. Immutable.
 *
 * @param findings the verified causes
 * @param nothingFound what {@link #render()} says when there are no findings; empty to say nothing
 * @param retry when the reconciler tries the pull again by itself, if it will
 */
public record Diagnosis(List<Finding> findings, String nothingFound, Optional<Retry> retry) {

  /**
   * The reconciler's next try of a failed pull.
   *
   * @param revision the revision whose pull failed
   * @param nextTry how long until the back-off lets it try again
   */
  public record Retry(ResourceId revision, Duration nextTry) {
    public Retry {
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(nextTry, "nextTry");
    }

    /** The back-off's remaining wait in whole seconds, rounded up. */
    public long seconds() {
      long millis = Math.max(0, nextTry.toMillis());
      return (millis + 999) / 1000;
    }

    /** The command that retries at once. */
    public String restart() {
      return Fixes.revisionRestart(revision);
    }

    /** {@code Berth retries by itself (next try in 5 s); to retry now: `berth …`}. */
    public String sentence() {
      return "Berth retries by itself (next try in "
          + seconds()
          + " s); to retry now: `"
          + restart()
          + "`";
    }
  }

  public Diagnosis {
    findings = findings.stream().sorted(Comparator.comparing(f -> f.code().ordinal())).toList();
    Objects.requireNonNull(nothingFound, "nothingFound");
    Objects.requireNonNull(retry, "retry");
  }

  public Diagnosis(List<Finding> findings, String nothingFound) {
    this(findings, nothingFound, Optional.empty());
  }

  /**
   * The findings' cause codes, in the order to fix them: what a back-off event carries so that
   * machines need not parse the sentence.
   */
  public List<CauseCode> codes() {
    return findings.stream().map(Finding::code).toList();
  }

  /** A revision that runs: nothing is wrong with its pull. */
  public static Diagnosis healthy(ResourceId revision) {
    return new Diagnosis(
        List.of(), "nothing is wrong: revision " + revision.name() + " pulled its image.");
  }

  /** This diagnosis, ending with when and how the pull is tried again. */
  public Diagnosis withRetry(ResourceId revision, Duration nextTry) {
    return new Diagnosis(findings, nothingFound, Optional.of(new Retry(revision, nextTry)));
  }

  /**
   * The text to append, after a newline, to Container Apps' own message (the revision's {@code
   * provisioningError}):
   *
   * <pre>
   * Berth's diagnosis:
   * - myacr refuses ARM-audience tokens. Its azureADAuthenticationAsArmPolicy is disabled, …
   *   Fix: berth acr config authentication-as-arm update -r myacr --status enabled
   * Berth retries by itself (next try in 5 s); to retry now: `berth containerapp revision restart …`
   * </pre>
   *
   * An empty string when there are no findings, nothing to say and no retry.
   */
  public String render() {
    StringBuilder text = new StringBuilder();
    if (findings.isEmpty()) {
      if (!nothingFound.isBlank()) {
        text.append("Berth's diagnosis: ").append(nothingFound);
      }
    } else {
      text.append("Berth's diagnosis:");
      for (Finding f : findings) {
        text.append("\n- ").append(f.cause()).append(". ").append(f.explanation());
        String[] commands = f.fix().split("\n");
        text.append("\n  Fix: ").append(commands[0]);
        for (int i = 1; i < commands.length; i++) {
          text.append("\n       ").append(commands[i]);
        }
      }
    }
    retry.ifPresent(r -> text.append(text.isEmpty() ? "" : "\n").append(r.sentence()));
    return text.toString();
  }

  /**
   * The structured form behind {@code berth containerapp diagnose} and the {@code detectors}
   * resource: {@code healthy}, each finding's code, resources, sentence and fix commands ({@code
   * berth} and {@code az}), the retry, and the rendered text.
   */
  public ObjectNode toJson() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode out = json.objectNode();
    out.put("healthy", findings.isEmpty() && retry.isEmpty());
    ArrayNode causes = out.putArray("findings");
    for (Finding f : findings) {
      ObjectNode c = causes.addObject();
      c.put("code", f.code().name());
      c.put("cause", f.cause());
      c.put("explanation", f.explanation());
      f.resources().forEach(c.putArray("resources")::add);
      ObjectNode fix = c.putObject("fix");
      f.fix().lines().forEach(fix.putArray("berth")::add);
      f.azFix().lines().forEach(fix.putArray("az")::add);
    }
    if (findings.isEmpty() && !nothingFound.isBlank()) {
      out.put("summary", nothingFound);
    }
    retry.ifPresent(
        r -> {
          ObjectNode next = out.putObject("retry");
          next.put("revision", r.revision().name());
          next.put("nextTryInSeconds", r.seconds());
          next.put("berth", r.restart());
          next.put("az", Fixes.az(r.restart()));
        });
    out.put("text", render());
    return out;
  }
}
