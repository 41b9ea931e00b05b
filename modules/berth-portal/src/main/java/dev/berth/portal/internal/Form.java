package dev.berth.portal.internal;

import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.http.UrlEncoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A posted form ({@code application/x-www-form-urlencoded}, at most 256 KB): every value of each
 * field, as a page with repeated fields (env vars, rules) needs them. Immutable.
 */
public record Form(Map<String, List<String>> fields) {

  /** The largest form the portal reads. */
  static final int MAX_BYTES = 256 * 1024;

  public static final Form EMPTY = new Form(Map.of());

  public Form {
    fields = Map.copyOf(fields);
  }

  /** Reads the form an exchange posted. */
  public static Form read(HttpExchange exchange) throws IOException {
    byte[] body = exchange.body(MAX_BYTES);
    return new Form(
        UrlEncoding.parse(
            new String(body, StandardCharsets.UTF_8), MalformedRequestException.Part.BODY));
  }

  /** The first value of {@code name}, if sent and not blank. */
  public Optional<String> get(String name) {
    List<String> values = fields.get(name);
    return values == null || values.isEmpty()
        ? Optional.empty()
        : Optional.of(values.get(0)).filter(v -> !v.isBlank());
  }

  /** Every value of {@code name}, in the order sent. */
  public List<String> all(String name) {
    return fields.getOrDefault(name, List.of());
  }
}
