package dev.berth.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code -y/--yes} option of the commands that delete things, and az's {@code (y/n)} question
 * when it is not given. Mutable, filled by picocli; one per invocation.
 */
final class Confirmation {

  @Option(
      names = {"-y", "--yes"},
      description = "Do not prompt for confirmation.")
  boolean yes;

  /**
   * True when {@code --yes} was given or the user answers yes to {@code question}; a failure when
   * there is no terminal to ask on.
   */
  boolean confirmed(CliEnvironment env, String question) {
    if (yes) {
      return true;
    }
    String answer =
        env.prompter()
            .ask(question + " (y/n): ")
            .orElseThrow(
                () ->
                    new CliFailure(
                        "Unable to prompt for confirmation as no tty available. Use --yes."));
    return answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
  }
}
