package dev.berth.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} text, the grammar of query strings and of form
 * bodies, with the JDK's {@link URLDecoder}; a malformed {@code %} escape is a {@link
 * MalformedRequestException}, never a bare {@link IllegalArgumentException} that an API would
 * answer with a 500. Stateless and thread-safe.
 *
 * @see <a href="https://url.spec.whatwg.org/#application/x-www-form-urlencoded">WHATWG URL,
 *     application/x-www-form-urlencoded</a>
 */
public final class UrlEncoding {

  private UrlEncoding() {}

  /**
   * Every {@code name=value} pair of {@code text}, in order, each name with all its values; a pair
   * without {@code =} has the value {@code ""}, empty pairs are skipped.
   *
   * @param part where the text came from, for the error
   * @throws MalformedRequestException when an escape is malformed
   */
  public static Map<String, List<String>> parse(String text, MalformedRequestException.Part part) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (text == null) {
      return Collections.unmodifiableMap(params);
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), part);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), part);
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    params.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(params);
  }

  /**
   * One decoded component ({@code +} is a space).
   *
   * @throws MalformedRequestException when an escape is malformed
   */
  public static String decode(String component, MalformedRequestException.Part part) {
    try {
      return URLDecoder.decode(component, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException(
          part, "the " + describe(part) + " holds a malformed %-escape");
    }
  }

  private static String describe(MalformedRequestException.Part part) {
    return switch (part) {
      case PATH -> "path";
      case QUERY -> "query string";
      case BODY -> "form body";
    };
  }
}
