package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UpCommandTest {

  @TempDir Path dataDir;

  private final StringWriter err = new StringWriter();

  private int up(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "up";
    all[1] = "--data-dir";
    all[2] = dataDir.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return cli.execute(all);
  }

  @Test
  void anUnknownTlsProviderIsAUsageErrorNotAStackTrace() {
    assertThat(up("--tls-provider", "openssl")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("unknown TLS provider 'openssl': use auto, jdk or boringssl")
        .contains("Usage: berth up")
        .doesNotContain("at dev.berth");
  }

  @Test
  void anUnknownRuntimeIsAUsageErrorToo() {
    assertThat(up("--runtime", "docker")).isEqualTo(2);
    assertThat(err.toString()).startsWith("unknown runtime 'docker': use runc or none");
  }
}
