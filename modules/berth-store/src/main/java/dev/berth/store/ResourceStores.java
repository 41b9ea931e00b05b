package dev.berth.store;

import dev.berth.store.internal.postgres.PostgresResourceStore;
import dev.berth.store.internal.sqlite.SqliteResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Opens a {@link ResourceStore} from a URL whose scheme names the driver: {@code
 * sqlite:/var/lib/berth/berth.db}, {@code postgresql://db.example:5432/berth?user=berth} (or {@code
 * postgres://…}) or {@code memory:}. A new driver is one more entry in {@link #DRIVERS}. Stateless
 * and thread-safe.
 */
public final class ResourceStores {

  /** Each driver's opener, given the URL after {@code scheme:}. */
  private static final Map<String, Function<String, ResourceStore>> DRIVERS =
      new TreeMap<>(
          Map.of(
              "sqlite",
              ResourceStores::openSqlite,
              "postgresql",
              rest -> openPostgres("postgresql", rest),
              "postgres",
              rest -> openPostgres("postgres", rest),
              "memory",
              rest -> new InMemoryResourceStore()));

  private ResourceStores() {}

  /**
   * Opens the store {@code url} names; a SQLite file and its parent directories are created when
   * missing, and the database's schema is migrated to the newest version. A PostgreSQL database
   * must exist; its password, when the server asks for one, is read from {@code ~/.pgpass} (or
   * {@code PGPASSFILE}), never from the URL, which shows in process lists and logs.
   *
   * @throws IllegalArgumentException when the URL is malformed or names an unknown driver
   */
  public static ResourceStore open(String url) {
    int colon = url == null ? -1 : url.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "store URL '" + url + "' has no scheme; supported: " + supported());
    }
    Function<String, ResourceStore> driver = DRIVERS.get(url.substring(0, colon));
    if (driver == null) {
      throw new IllegalArgumentException(
          "unknown store '"
              + url.substring(0, colon)
              + "' in '"
              + url
              + "'; supported: "
              + supported());
    }
    return driver.apply(url.substring(colon + 1));
  }

  private static String supported() {
    return String.join(", ", DRIVERS.keySet().stream().map(s -> s + ":").toList());
  }

  private static ResourceStore openSqlite(String path) {
    Path file = Path.of(path);
    if (path.isBlank() || !file.isAbsolute()) {
      throw new IllegalArgumentException(
          "sqlite store needs an absolute file path, as in sqlite:/var/lib/berth/berth.db; got '"
              + path
              + "'");
    }
    return SqliteResourceStore.open(file);
  }

  /** {@code postgres:} and {@code postgresql:} alike, as libpq takes them. */
  private static ResourceStore openPostgres(String scheme, String rest) {
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
    return PostgresResourceStore.open("jdbc:postgresql:" + rest, Clock.systemUTC());
  }
}
