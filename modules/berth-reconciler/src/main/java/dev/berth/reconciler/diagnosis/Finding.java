package dev.berth.reconciler.diagnosis;

import java.util.Objects;

/**
 * One cause of a failed image pull that Berth verified against the stored state, with the command
 * that removes it. Immutable.
 *
 * @param cause what is wrong, as a short clause: {@code myacr refuses ARM-audience tokens}
 * @param explanation why that fails the pull, naming the resources involved
 * @param fix the Berth CLI command(s) to run, one per line, in order
 */
public record Finding(String cause, String explanation, String fix) {

  public Finding {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(fix, "fix");
  }
}
