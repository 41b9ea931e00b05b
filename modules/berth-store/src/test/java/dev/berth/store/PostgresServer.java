package dev.berth.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests, from the machine's own binaries (Debian's {@code
 * postgresql} package: {@code /usr/lib/postgresql/<version>/bin}): a new cluster in a temporary
 * folder, listening on 127.0.0.1 only, with trust authentication, run as the {@code postgres} user
 * when the tests run as root (PostgreSQL refuses root). Its default collation is ICU's {@code
 * en-US}, which orders keys unlike Java, so a schema that forgets its byte-wise key collation fails
 * the store's tests. {@link #close} stops the server ({@code pg_ctl stop}, by its data folder's pid
 * file) and deletes the folder. Fails, naming the package, when PostgreSQL is not installed.
 */
public final class PostgresServer implements AutoCloseable {

  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
  private static final String USER = "berth";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgres;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** Makes a cluster and starts its server. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("berth-pg-");
    if (root) {
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin, dir, port, root);
    try {
      server.run(
          "initdb",
          "-D",
          dir.resolve("data").toString(),
          "-U",
          USER,
          "--auth=trust",
          "-E",
          "UTF8",
          "--locale=C.UTF-8",
          "--locale-provider=icu",
          "--icu-locale=en-US");
      server.resume();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Stops the server as an outage would (pg_ctl's fast mode: sessions are ended, connections
   * refused until {@link #resume}); its databases are kept.
   */
  public void pause() throws IOException, InterruptedException {
    run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
  }

  /** Starts the server (again) on its port, with its databases. */
  public void resume() throws IOException, InterruptedException {
    run(
        "pg_ctl",
        "-D",
        dir.resolve("data").toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
        "start");
  }

  /** The newest {@code /usr/lib/postgresql/<version>/bin} that has initdb and pg_ctl. */
  private static Path binaries() {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(VERSIONS)) {
      try (Stream<Path> versions = Files.list(VERSIONS)) {
        versions
            .map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
            .forEach(found::add);
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + VERSIONS, e);
      }
    }
    return found.stream()
        .max(Comparator.comparing(b -> version(b.getParent().getFileName().toString())))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "PostgreSQL is not installed: no initdb and pg_ctl under "
                        + VERSIONS
                        + "/<version>/bin (install Debian's package: apt-get install"
                        + " postgresql)"));
  }

  private static int version(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A new, empty database on this server.
   *
   * @return its JDBC URL, with the user and no password
   */
  public String newDatabase() throws SQLException {
    String name = "berth_" + databases.incrementAndGet();
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"));
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return jdbcUrl(name);
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** Berth's URL of {@code database} on this server ({@code --store}). */
  public String storeUrl(String database) {
    return jdbcUrl(database).substring("jdbc:".length());
  }

  /** Ends every session of {@code database} as an administrator would (pg_terminate_backend). */
  public void terminateSessions(String database) throws SQLException {
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"));
        Statement statement = admin.createStatement()) {
      statement.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + database
              + "'");
    }
  }

  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteQuietly(dir);
    }
  }

  private void run(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (asPostgres) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(tool + ".out").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(tool + " did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      String out = Files.readString(dir.resolve(tool + ".out"));
      Path log = dir.resolve("server.log");
      String server = Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
      throw new IllegalStateException(
          String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + out + server);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary folder
    }
  }
}
