import dev.berth.store.internal.sqlite.SqliteResourceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;

/**
 * How long opening Berth's SQLite store takes against the floor the same JVM pays to open a
 * database file with the bare driver in WAL mode: {@code fresh} opens new files (the schema is
 * created), {@code existing} reopens one file another JVM made (the schema is checked). The first
 * open in the JVM is "cold" (classes and the native library load), what a start of Berth pays; the
 * later rounds are "warm". Prints milliseconds.
 *
 * <p>Usage: java -cp CLASSPATH StoreOpen.java store|jdbc fresh|existing DIR ROUNDS
 */
public class StoreOpen {
  public static void main(String[] args) throws Exception {
    String driver = args[0];
    String kind = args[1];
    Path dir = Path.of(args[2]);
    int rounds = Integer.parseInt(args[3]);
    double[] times = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      Path file = dir.resolve(kind.equals("fresh") ? "fresh" + i : "existing").resolve("berth.db");
      Files.createDirectories(file.getParent());
      long t = System.nanoTime();
      open(driver, file);
      times[i] = (System.nanoTime() - t) / 1e6;
    }
    double[] warm = Arrays.copyOfRange(times, 1, rounds);
    Arrays.sort(warm);
    System.out.printf("%s %s cold %.1f warm %.1f%n", driver, kind, times[0], warm[warm.length / 2]);
  }

  private static void open(String driver, Path file) throws Exception {
    if (driver.equals("store")) {
      SqliteResourceStore.open(file).close();
    } else {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
      }
    }
  }
}
