package dev.berth.cli;

import dev.berth.client.ArmClient;
import java.io.Console;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What the commands read from the world around them: environment variables, the home directory, the
 * clock, the terminal for confirmations, how to wait between polls and standard input (secrets
 * given as {@code @-}). Tests build their own; {@link #system()} is the real one. Immutable.
 */
public record CliEnvironment(
    Map<String, String> variables,
    Path userHome,
    Clock clock,
    Prompter prompter,
    ArmClient.Sleeper sleeper,
    InputStream stdin) {

  /** Asks the user a question; empty when there is no terminal to ask on. */
  @FunctionalInterface
  public interface Prompter {
    Optional<String> ask(String question);
  }

  public CliEnvironment {
    variables = Map.copyOf(variables);
  }

  /** The process's environment, home directory, system clock and console. */
  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        Clock.systemUTC(),
        question -> {
          Console console = System.console();
          return console == null
              ? Optional.empty()
              : Optional.ofNullable(console.readLine("%s", question));
        },
        duration -> Thread.sleep(duration.toMillis()),
        System.in);
  }

  /** A test environment: no terminal, no waiting between polls. */
  public static CliEnvironment of(Map<String, String> variables, Path userHome, Clock clock) {
    return new CliEnvironment(
        variables, userHome, clock, q -> Optional.empty(), d -> {}, InputStream.nullInputStream());
  }

  /** The same environment reading {@code stdin} as standard input. */
  public CliEnvironment withStdin(InputStream stdin) {
    return new CliEnvironment(variables, userHome, clock, prompter, sleeper, stdin);
  }

  Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
  }

  /**
   * Where the profiles live ({@link ProfileStore}): {@code $BERTH_CONFIG_DIR}, else {@code
   * ~/.berth}.
   */
  Path configDir() {
    return variable("BERTH_CONFIG_DIR").map(Path::of).orElse(userHome.resolve(".berth"));
  }

  /** Berth's data directory: {@code $BERTH_DATA_DIR}, else {@code ~/.berth}. */
  Path dataDir() {
    return variable("BERTH_DATA_DIR").map(Path::of).orElse(userHome.resolve(".berth"));
  }
}
