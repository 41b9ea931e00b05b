package dev.berth.identity.internal;

import dev.berth.http.MalformedRequestException;
import dev.berth.http.UrlEncoding;
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
   * @throws dev.berth.http.MalformedRequestException (an {@link IllegalArgumentException}) when an
   *     escape is malformed
   */
  public static FormBody parse(byte[] body) {
    Map<String, String> params = new LinkedHashMap<>();
    UrlEncoding.parse(new String(body, StandardCharsets.UTF_8), MalformedRequestException.Part.BODY)
        .forEach((name, values) -> params.putIfAbsent(name, values.get(0)));
    return new FormBody(params);
  }

  /** The value of {@code name}, if present and not blank. */
  public Optional<String> get(String name) {
    return Optional.ofNullable(params.get(name)).filter(v -> !v.isBlank());
  }
}
