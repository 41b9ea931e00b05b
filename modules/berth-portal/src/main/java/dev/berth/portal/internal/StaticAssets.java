package dev.berth.portal.internal;

import dev.berth.http.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The portal's static files: its stylesheet and script, and htmx from its WebJar. Only the files
 * named here are served (no path from the request reaches the class path), each cached for a day.
 * Thread-safe.
 */
final class StaticAssets {

  /** The htmx version of the WebJar on the class path (the parent pom's {@code htmx.version}). */
  private static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.8/dist/htmx.min.js";

  private record Asset(String resource, String contentType) {}

  private static final Map<String, Asset> ASSETS =
      Map.of(
          "htmx.min.js",
          new Asset(HTMX, "text/javascript; charset=utf-8"),
          "portal.css",
          new Asset("dev/berth/portal/static/portal.css", "text/css; charset=utf-8"),
          "portal.js",
          new Asset("dev/berth/portal/static/portal.js", "text/javascript; charset=utf-8"));

  private final Map<String, byte[]> bytes;

  StaticAssets() {
    // Read once at start: a missing asset is a build error, found before anyone asks.
    this.bytes =
        Map.copyOf(
            ASSETS.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> load(e.getValue().resource()))));
  }

  /** Serves {@code name}; false when the portal has no such file. */
  boolean serve(HttpExchange exchange, String name) {
    Optional<Asset> asset = Optional.ofNullable(ASSETS.get(name));
    if (asset.isEmpty()) {
      return false;
    }
    exchange.setHeader("Cache-Control", "public, max-age=86400");
    exchange.setHeader("X-Content-Type-Options", "nosniff");
    exchange.send(200, asset.get().contentType(), bytes.get(name));
    return true;
  }

  private static byte[] load(String resource) {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the portal's asset " + resource + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
