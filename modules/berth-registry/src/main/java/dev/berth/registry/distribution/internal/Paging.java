package dev.berth.registry.distribution.internal;

import dev.berth.http.HttpExchange;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code n}/{@code last} pagination of tag and catalog lists: entries after {@code last}, at
 * most {@code n}, and a {@code Link: <…>; rel="next"} header when more remain. Stateless.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags">OCI
 *     distribution spec, listing tags</a>
 */
public final class Paging {

  private Paging() {}

  /** The page of {@code sorted} the query asks for; sets the Link header on the exchange. */
  public static <T> List<T> page(
      HttpExchange exchange, List<T> sorted, Function<T, String> key, String path, String extra) {
    Optional<Integer> n = count(exchange);
    Optional<String> last = exchange.query("last");
    int skip = 0;
    if (last.isPresent()) {
      while (skip < sorted.size() && key.apply(sorted.get(skip)).compareTo(last.get()) <= 0) {
        skip++;
      }
    }
    int from = skip;
    int to =
        n.map(limit -> (int) Math.min(sorted.size(), (long) from + limit)).orElse(sorted.size());
    List<T> page = sorted.subList(from, to);
    if (n.isPresent() && to < sorted.size() && !page.isEmpty()) {
      String next =
          path
              + "?n="
              + n.get()
              + "&last="
              + URLEncoder.encode(key.apply(page.get(page.size() - 1)), StandardCharsets.UTF_8)
              + extra;
      exchange.setHeader("Link", "<" + next + ">; rel=\"next\"");
    }
    return page;
  }

  private static Optional<Integer> count(HttpExchange exchange) {
    Optional<String> n = exchange.query("n");
    if (n.isEmpty()) {
      return Optional.empty();
    }
    try {
      int value = Integer.parseInt(n.get());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return Optional.of(value);
    } catch (NumberFormatException e) {
      throw RegistryException.of(
          RegistryErrorCode.PAGINATION_NUMBER_INVALID,
          "invalid number of results requested",
          n.get());
    }
  }
}
