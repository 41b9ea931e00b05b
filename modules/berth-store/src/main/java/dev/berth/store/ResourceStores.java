package dev.berth.store;

import dev.berth.store.internal.sqlite.SqliteResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Opens a {@link ResourceStore} from a URL whose scheme names the driver: {@code
 * sqlite:/var/lib/berth/berth.db} or {@code memory:}. A new driver is one more entry in {@link
 * #DRIVERS}. Stateless and thread-safe.
 */
public final class ResourceStores {

  /** Each driver's opener, given the URL after {@code scheme:}. */
  private static final Map<String, Function<String, ResourceStore>> DRIVERS =
      new TreeMap<>(
          Map.of(
              "sqlite", ResourceStores::openSqlite, "memory", rest -> new InMemoryResourceStore()));

  private ResourceStores() {}

  /**
   * Opens the store {@code url} names; a SQLite file and its parent directories are created when
   * missing, and its schema is migrated to the newest version.
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
}
