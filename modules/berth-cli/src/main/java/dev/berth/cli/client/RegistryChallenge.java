package dev.berth.cli.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A registry's {@code WWW-Authenticate} challenge ({@code Bearer realm="…",service="…",scope="…"}),
 * parsed. Immutable.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker token
 *     authentication</a>
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a> (ACR's
 *     exact format)
 */
public record RegistryChallenge(String scheme, Map<String, String> parameters) {

  public RegistryChallenge {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Parses a challenge header. Values may be quoted (and then hold commas, as in {@code
   * scope="repository:a:pull,push"}) or bare tokens; parameter names are case-insensitive.
   */
  public static Optional<RegistryChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String h = header.trim();
    int space = h.indexOf(' ');
    String scheme = space < 0 ? h : h.substring(0, space);
    Map<String, String> params = new LinkedHashMap<>();
    int i = space < 0 ? h.length() : space + 1;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ',' || h.charAt(i) == ' ')) {
        i++;
      }
      int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      StringBuilder value = new StringBuilder();
      i = eq + 1;
      if (i < h.length() && h.charAt(i) == '"') {
        i++;
        while (i < h.length() && h.charAt(i) != '"') {
          if (h.charAt(i) == '\\' && i + 1 < h.length()) {
            i++;
          }
          value.append(h.charAt(i++));
        }
        i++; // closing quote
      } else {
        while (i < h.length() && h.charAt(i) != ',') {
          value.append(h.charAt(i++));
        }
      }
      params.put(name, value.toString().trim());
    }
    return Optional.of(new RegistryChallenge(scheme, params));
  }

  public boolean isBearer() {
    return scheme.equalsIgnoreCase("Bearer");
  }

  public Optional<String> realm() {
    return parameter("realm");
  }

  public Optional<String> service() {
    return parameter("service");
  }

  public Optional<String> scope() {
    return parameter("scope");
  }

  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)))
        .filter(v -> !v.isEmpty());
  }

  /**
   * Where {@code /oauth2/exchange} lives: the realm's scheme and authority, as az computes it (the
   * realm's host, not necessarily the login server).
   */
  public Optional<URI> realmOrigin() {
    return realm()
        .map(URI::create)
        .map(u -> URI.create(u.getScheme() + "://" + u.getRawAuthority()));
  }
}
