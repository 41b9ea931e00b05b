package dev.berth.runtime.image.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * URL query and form encoding as Go's {@code url.Values.Encode} does it (keys sorted, everything
 * but {@code A-Za-z0-9-_.~} escaped, space as {@code +}), so URLs in error messages read as
 * containerd prints them. Stateless.
 */
final class FormEncoding {

  private FormEncoding() {}

  static String encode(Map<String, String> values) {
    return new TreeMap<>(values)
        .entrySet().stream()
            .map(e -> escape(e.getKey()) + "=" + escape(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
