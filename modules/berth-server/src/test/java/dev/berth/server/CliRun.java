package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.BerthCli;
import dev.berth.cli.CliEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/**
 * One run of the {@code berth} CLI, in this JVM, as a user would type it against a test Berth: its
 * data directory, a home and config directory of the test's own.
 */
record CliRun(int exit, String out, String err) {

  static CliRun of(Path dataDir, Path home, String... args) {
    CliEnvironment env =
        CliEnvironment.of(
            Map.of(
                "BERTH_DATA_DIR",
                dataDir.toString(),
                "BERTH_CONFIG_DIR",
                home.resolve("config").toString()),
            home,
            Clock.systemUTC());
    CommandLine cli = BerthCli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  JsonNode json() throws IOException {
    return Https.JSON.readTree(out);
  }
}
