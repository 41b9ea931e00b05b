package dev.berth.reconciler.diagnosis;

import java.util.List;
import java.util.Objects;

/**
 * One cause of a failed image pull that Berth verified against the stored state, with the commands
 * that remove it. Immutable.
 *
 * @param code what kind of cause it is, for machines (and the order of fixing)
 * @param cause what is wrong, as a short clause: {@code myacr refuses ARM-audience tokens}
 * @param explanation why that fails the pull, naming the resources involved
 * @param resources the ids of the resources the cause is about (the registry, the identity, the
 *     app), most specific first
 * @param fix the Berth CLI command(s) to run, one per line, in order
 */
public record Finding(
    CauseCode code, String cause, String explanation, List<String> resources, String fix) {

  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(explanation, "explanation");
    resources = List.copyOf(resources);
    Objects.requireNonNull(fix, "fix");
  }

  /**
   * The same commands for {@code az}: Berth's CLI spells every command the fixes use as {@code az}
   * does (docs/cli.md), so only the program's name differs.
   */
  public String azFix() {
    return Fixes.az(fix);
  }
}
