package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
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
  void aDataDirInUseStopsTheStartBeforeItTouchesAnything() throws Exception {
    try (BerthServer running =
        BerthServer.start(ServerConfig.of(new DataDir(dataDir), "127.0.0.1", 0))) {
      Path bootstrap = dataDir.resolve("bootstrap.json");
      byte[] before = Files.readAllBytes(bootstrap);
      String lock = Files.readString(dataDir.resolve("berth.lock"));

      assertThat(up("--port", "0", "--runtime", "none")).isEqualTo(1);

      assertThat(err.toString())
          .isEqualTo(
              "berth up: "
                  + dataDir.toAbsolutePath()
                  + " is in use by another Berth (PID "
                  + ProcessHandle.current().pid()
                  + ", https://127.0.0.1:"
                  + running.port()
                  + "/): stop it first, or start with another --data-dir\n");
      assertThat(Files.readAllBytes(bootstrap)).isEqualTo(before);
      assertThat(Files.readString(dataDir.resolve("berth.lock"))).isEqualTo(lock);
    }
    // Closed, it lets the next one in.
    BerthServer.start(ServerConfig.of(new DataDir(dataDir), "127.0.0.1", 0)).close();
  }

  @Test
  void connectionCapsComeFromOptionsThenTheEnvironment() {
    assertThat(up("--max-connections", "10", "--max-connections-per-peer", "20")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("the connections per peer (20) must not exceed the connections in all (10)");
  }

  @Test
  void aBadHousekeepingDurationIsAUsageErrorNamingTheOption() {
    assertThat(up("--registry-gc-grace", "an hour")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "--registry-gc-grace is not an ISO-8601 duration such as PT1H or PT30M: an hour")
        .contains("Usage: berth up")
        .doesNotContain("at dev.berth");
  }

  @Test
  void anUnknownRuntimeIsAUsageErrorToo() {
    assertThat(up("--runtime", "docker")).isEqualTo(2);
    assertThat(err.toString()).startsWith("unknown runtime 'docker': use runc or none");
  }

  @Test
  void aStoreUrlWithAPasswordIsAUsageErrorThatDoesNotRepeatIt() {
    assertThat(up("--store", "postgresql://db:5432/berth?user=berth&password=hunter2"))
        .isEqualTo(2);
    assertThat(err.toString())
        .startsWith("a postgresql store URL may not hold a password")
        .contains("~/.pgpass")
        .contains("Usage: berth up")
        .doesNotContain("hunter2")
        .doesNotContain("at dev.berth");
  }

  @Test
  void aBlobLocationWithoutItsKeyOrWithASasIsAUsageErrorThatDoesNotRepeatTheSas() {
    // The test JVM's environment has no AZURE_STORAGE_KEY (nor does CI's).
    assertThat(System.getenv("AZURE_STORAGE_KEY")).isNull();
    assertThat(up("--blobs", "azure-blob:https://acct.blob.core.windows.net/berth")).isEqualTo(2);
    assertThat(err.toString())
        .contains("needs the storage account's key in AZURE_STORAGE_KEY")
        .contains("Usage: berth up")
        .doesNotContain("at dev.berth");

    assertThat(
            up(
                "--blobs",
                "azure-blob:https://acct.blob.core.windows.net/berth?sv=2024&sig=s3cr3tsig"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("takes no query")
        .doesNotContain("s3cr3tsig")
        .doesNotContain("at dev.berth");

    assertThat(up("--blobs", "azure-blob:https://acct.blob.core.windows.net/bc")).isEqualTo(2);
    assertThat(err.toString()).contains("'bc' is not a blob container name: 3 to 63");

    // A trailing slash, as a URL copied from a browser may have, is the same container.
    ServerConfig slashed =
        ServerConfig.of(new DataDir(dataDir), "127.0.0.1", 0)
            .withBlobsOption(
                "azure-blob:https://acct.blob.core.windows.net/berth/",
                Map.of("AZURE_STORAGE_KEY", "a2V5"));
    assertThat(slashed.blobs()).hasValue("azure-blob:https://acct.blob.core.windows.net/berth");

    assertThat(up("--blobs", "s3://bucket/berth")).isEqualTo(2);
    assertThat(err.toString()).contains("no blob store driver for s3://bucket/berth");
  }
}
