package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.store.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code berth up --store postgresql://…}: Berth keeps its ARM resources in a PostgreSQL database
 * (a real server, {@link PostgresServer}) and finds them there after a restart; no {@code berth.db}
 * is made; a second Berth on the same database is refused while the first runs.
 */
class PostgresStoreIT {

  @Test
  void armResourcesLiveInPostgresqlAcrossARestartAndASecondBerthIsRefused(
      @TempDir Path dataDir, @TempDir Path otherDataDir) throws Exception {
    try (PostgresServer postgres = PostgresServer.start()) {
      String jdbc = postgres.newDatabase();
      String store = jdbc.substring("jdbc:".length());
      ServerConfig config =
          ServerConfig.of(new DataDir(dataDir), "127.0.0.1", 0)
              .withStoreOption(null, Map.of("BERTH_STORE", store));
      String group;
      try (BerthServer berth = BerthServer.start(config)) {
        Arm arm = Arm.of(berth, dataDir);
        group = "/subscriptions/" + arm.subscription() + "/resourceGroups/kept";
        var put = arm.put(group);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        // A second Berth (its own data directory) on the same database stops at start.
        ServerConfig second =
            ServerConfig.of(new DataDir(otherDataDir), "127.0.0.1", 0)
                .withStoreOption(store, Map.of());
        assertThatThrownBy(() -> BerthServer.start(second).close())
            .hasMessageContaining("another Berth uses the database");
      }

      try (BerthServer berth = BerthServer.start(config)) {
        Arm arm = Arm.of(berth, dataDir);
        var get = arm.get(group);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(get.body()).contains("\"name\":\"kept\"");
      }

      assertThat(dataDir.resolve("berth.db")).doesNotExist();
      try (Connection db = DriverManager.getConnection(jdbc);
          Statement statement = db.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT id FROM resources WHERE id_key = '"
                      + group.toLowerCase(Locale.ROOT)
                      + "'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(group);
      }
      assertThat(Files.list(dataDir).map(p -> p.getFileName().toString()))
          .doesNotContain("berth.db", "berth.db-wal");
    }
  }

  @Test
  void aBerthOnSqliteMovesToPostgresqlWithStoreCopy(@TempDir Path dataDir) throws Exception {
    try (PostgresServer postgres = PostgresServer.start()) {
      String store = postgres.newDatabase().substring("jdbc:".length());
      ServerConfig onSqlite = ServerConfig.of(new DataDir(dataDir), "127.0.0.1", 0);
      String group;
      String before;
      try (BerthServer berth = BerthServer.start(onSqlite)) {
        Arm arm = Arm.of(berth, dataDir);
        group = "/subscriptions/" + arm.subscription() + "/resourceGroups/moved";
        var put = arm.put(group);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        before = arm.get(group).body();

        // Not while it runs: the data directory's lock says who holds it.
        assertThat(copy(dataDir, store)).startsWith("1 berth store copy: ").contains("PID");
      }

      assertThat(copy(dataDir, store)).startsWith("0 Copied ").contains("berth up --store '");
      // Into a database that is not empty any more: refused, nothing written.
      assertThat(copy(dataDir, store)).startsWith("1 berth store copy: ").contains("not empty");

      try (BerthServer berth = BerthServer.start(onSqlite.withStoreOption(store, Map.of()))) {
        Arm arm = Arm.of(berth, dataDir);
        var get = arm.get(group);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        // The very document: its system data, times and all.
        assertThat(Https.JSON.readTree(get.body())).isEqualTo(Https.JSON.readTree(before));
      }
    }
  }

  /** Berth's ARM API as its Owner service principal, for resource groups. */
  private record Arm(Https https, String owner, String subscription) {
    static Arm of(BerthServer berth, Path dataDir) throws Exception {
      BootstrapInfo b = berth.bootstrap();
      Https https = new Https(dataDir.resolve("tls/ca.pem"), b.managementEndpoint());
      return new Arm(
          https,
          https.token(b.tenantId(), b.clientId(), b.clientSecret(), b.managementEndpoint()),
          b.subscriptionId());
    }

    HttpResponse<String> put(String group) throws Exception {
      return https.send(
          "PUT", group + "?api-version=2021-04-01", owner, "{\"location\":\"local\"}");
    }

    HttpResponse<String> get(String group) throws Exception {
      return https.send("GET", group + "?api-version=2021-04-01", owner, null);
    }
  }

  /** The exit code, then what it printed. */
  private static String copy(Path dataDir, String store) {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int exit = cli.execute("store", "copy", "--data-dir", dataDir.toString(), "--to", store);
    return exit + " " + out;
  }
}
