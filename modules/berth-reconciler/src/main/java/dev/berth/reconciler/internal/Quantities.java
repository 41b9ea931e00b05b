package dev.berth.reconciler.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Container Apps' resource quantities: {@code memory: "0.5Gi"}, {@code cpu: 0.25}. */
public final class Quantities {

  private static final Pattern MEMORY =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?)?", Pattern.CASE_INSENSITIVE);

  private Quantities() {}

  /**
   * Bytes in a memory quantity ({@code 512Mi}, {@code 0.5Gi}, {@code 1G}); 0 for blank.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static long memoryBytes(String quantity) {
    if (quantity == null || quantity.isBlank()) {
      return 0;
    }
    Matcher m = MEMORY.matcher(quantity.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a memory quantity: '" + quantity + "'");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    boolean binary = quantity.toLowerCase(Locale.ROOT).endsWith("i");
    double base = binary ? 1024 : 1000;
    int power =
        switch (unit) {
          case "k", "ki" -> 1;
          case "m", "mi" -> 2;
          case "g", "gi" -> 3;
          case "t", "ti" -> 4;
          default -> 0;
        };
    return (long) (value * Math.pow(base, power));
  }
}
