package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class BerthCliTest {

  @Command(name = "berth")
  static final class Launcher implements Runnable {
    @Override
    public void run() {}
  }

  @TempDir Path home;

  @Test
  void commandsRegisterUnderAnotherLauncher() {
    CommandLine launcher = new CommandLine(new Launcher());
    BerthCli.commands(CliEnvironment.of(Map.of(), home, Clock.systemUTC()))
        .forEach(launcher::addSubcommand);

    assertThat(launcher.getSubcommands())
        .containsKeys("login", "logout", "account", "group", "role", "sp");
    assertThat(
            launcher
                .getSubcommands()
                .get("role")
                .getSubcommands()
                .get("assignment")
                .getSubcommands())
        .containsKeys("create", "list", "delete");

    StringWriter err = new StringWriter();
    launcher.setErr(new PrintWriter(err, true));
    int exit = launcher.execute("account", "show");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("ERROR: Please run 'berth login' to set up an account.\n");
  }

  @Test
  void everyLeafCommandTakesTheGlobalOptions() {
    CommandLine berth = BerthCli.commandLine(CliEnvironment.of(Map.of(), home, Clock.systemUTC()));
    assertLeavesHaveGlobals(berth);
  }

  private static void assertLeavesHaveGlobals(CommandLine command) {
    if (command.getSubcommands().isEmpty()) {
      assertThat(command.getCommandSpec().findOption("--output"))
          .as(command.getCommandName())
          .isNotNull();
      assertThat(command.getCommandSpec().findOption("--subscription")).isNotNull();
      assertThat(command.getCommandSpec().findOption("--debug")).isNotNull();
      return;
    }
    command.getSubcommands().values().forEach(BerthCliTest::assertLeavesHaveGlobals);
  }

  @Test
  void unknownOutputFormatIsAUsageError() {
    CommandLine berth = BerthCli.commandLine(CliEnvironment.of(Map.of(), home, Clock.systemUTC()));
    berth.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(berth.execute("group", "list", "-o", "yaml")).isEqualTo(2);
  }
}
