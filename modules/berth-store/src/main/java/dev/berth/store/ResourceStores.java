package dev.berth.store;

import dev.berth.store.internal.jdbc.JdbcResourceStore;
import dev.berth.store.internal.postgres.PostgresResourceStore;
import dev.berth.store.internal.sqlite.SqliteResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Opens a {@link ResourceStore} from a URL whose scheme names the driver: {@code
 * sqlite:/var/lib/berth/berth.db}, {@code postgresql://db.example:5432/berth?user=berth} (or {@code
 * postgres://…}) or {@code memory:}. A new driver is one more entry in {@link #DRIVERS}. Stateless
 * and thread-safe.
 */
public final class ResourceStores {

  /**
   * A driver: what it requires of the URL after {@code scheme:} (throws {@link
   * IllegalArgumentException}) and how it opens a store there.
   */
  private record Driver(Consumer<String> check, Function<String, ResourceStore> open) {}

  private static final Map<String, Driver> DRIVERS =
      new TreeMap<>(
          Map.of(
              "sqlite",
              new Driver(
                  ResourceStores::checkSqlite, path -> SqliteResourceStore.open(Path.of(path))),
              "postgresql",
              new Driver(rest -> checkPostgres("postgresql", rest), ResourceStores::openPostgres),
              "postgres",
              new Driver(rest -> checkPostgres("postgres", rest), ResourceStores::openPostgres),
              "memory",
              new Driver(rest -> {}, rest -> new InMemoryResourceStore())));

  private ResourceStores() {}

  /**
   * Opens the store {@code url} names; a SQLite file and its parent directories are created when
   * missing, and the database's schema is migrated to the newest version. A PostgreSQL database
   * must exist; its password, when the server asks for one, is read from {@code ~/.pgpass} (or
   * {@code PGPASSFILE}), never from the URL, which shows in process lists and logs.
   *
   * @throws IllegalArgumentException when the URL is malformed or names an unknown driver
   * @throws IllegalStateException when the store cannot be opened (a server that does not answer)
   */
  public static ResourceStore open(String url) {
    Driver driver = check(url);
    return driver.open().apply(url.substring(url.indexOf(':') + 1));
  }

  /**
   * Checks {@code url} as {@link #open} would, without opening anything: for options, before a
   * server starts.
   *
   * @throws IllegalArgumentException when the URL is malformed or names an unknown driver
   */
  public static void validate(String url) {
    check(url);
  }

  /**
   * Copies every document of the store {@code fromUrl} into the empty store {@code toUrl}, as they
   * are (etags, generations, times), in one transaction: a Berth moved from SQLite to PostgreSQL,
   * or back. Neither store may be in use.
   *
   * @return how many documents were copied
   * @throws IllegalArgumentException when a URL is bad, names no SQL store, or the source does not
   *     exist
   * @throws IllegalStateException when the target is not empty or cannot be opened
   */
  public static int copy(String fromUrl, String toUrl) {
    check(fromUrl);
    check(toUrl);
    String sqlite = "sqlite:";
    if (fromUrl.startsWith(sqlite) && !Files.exists(Path.of(fromUrl.substring(sqlite.length())))) {
      throw new IllegalArgumentException("there is no store to copy at " + fromUrl);
    }
    try (ResourceStore from = open(fromUrl);
        ResourceStore to = open(toUrl)) {
      if (!(from instanceof JdbcResourceStore source)
          || !(to instanceof JdbcResourceStore target)) {
        throw new IllegalArgumentException(
            "only sqlite: and postgresql: stores are copied; memory: keeps nothing");
      }
      return target.restore(source.everything());
    }
  }

  private static Driver check(String url) {
    int colon = url == null ? -1 : url.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "store URL '" + url + "' has no scheme; supported: " + supported());
    }
    Driver driver = DRIVERS.get(url.substring(0, colon));
    if (driver == null) {
      throw new IllegalArgumentException(
          "unknown store '"
              + url.substring(0, colon)
              + "' in '"
              + url
              + "'; supported: "
              + supported());
    }
    driver.check().accept(url.substring(colon + 1));
    return driver;
  }

  private static String supported() {
    return String.join(", ", DRIVERS.keySet().stream().map(s -> s + ":").toList());
  }

  private static void checkSqlite(String path) {
    if (path.isBlank() || !Path.of(path).isAbsolute()) {
      throw new IllegalArgumentException(
          "sqlite store needs an absolute file path, as in sqlite:/var/lib/berth/berth.db; got '"
              + path
              + "'");
    }
  }

  /** {@code postgres:} and {@code postgresql:} alike, as libpq takes them. */
  private static void checkPostgres(String scheme, String rest) {
    if (!rest.startsWith("//") || rest.length() == 2) {
      throw new IllegalArgumentException(
          "postgresql store needs a server and a database, as in"
              + " postgresql://localhost:5432/berth?user=berth; got '"
              + scheme
              + ":"
              + rest
              + "'");
    }
    String authority = rest.substring(2).split("[/?]", 2)[0];
    String query = rest.contains("?") ? rest.substring(rest.indexOf('?') + 1) : "";
    boolean password =
        authority.contains("@")
            || Arrays.stream(query.split("&"))
                .anyMatch(p -> p.toLowerCase(Locale.ROOT).startsWith("password="));
    if (password) {
      throw new IllegalArgumentException(
          "a postgresql store URL may not hold a password or user info (it would show in process"
              + " lists): name the user with ?user=NAME and put the password in ~/.pgpass (or the"
              + " file PGPASSFILE names), one line host:port:database:user:password, mode 0600");
    }
  }

  private static ResourceStore openPostgres(String rest) {
    // One Berth per database: two would both run every app's replicas.
    return PostgresResourceStore.open(
        "jdbc:postgresql:" + rest, Clock.systemUTC(), PostgresResourceStore.Sharing.EXCLUSIVE);
  }
}
