package dev.berth.identity.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code application/x-www-form-urlencoded} body parsed into its parameters; the first value of
 * a repeated name wins. Immutable and thread-safe.
 */
public final class FormBody {

  private final Map<String, String> params;

  private FormBody(Map<String, String> params) {
    this.params = Collections.unmodifiableMap(params);
  }

  /**
   * @throws IllegalArgumentException when an escape is malformed
   */
  public static FormBody parse(byte[] body) {
    Map<String, String> params = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(name, value);
    }
    return new FormBody(params);
  }

  /** The value of {@code name}, if present and not blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(params.get(name)).filter(v -> !v.isBlank());
  }

  public Map<String, String> asMap() {
    return params;
  }
}
