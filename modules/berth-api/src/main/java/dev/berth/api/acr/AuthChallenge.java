package dev.berth.api.acr;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A registry's {@code WWW-Authenticate} challenge, parsed once for every client Berth has: {@code
 * Bearer realm="…",service="…",scope="…"} or {@code Basic realm="…"}. The image puller and the
 * {@code berth acr login} command both read it here. Immutable.
 *
 * @param scheme the scheme, lower-cased ({@code bearer}, {@code basic})
 * @param parameters the parameters by lower-cased name
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">distribution token
 *     authentication</a>
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a> (ACR's
 *     exact format)
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

  public AuthChallenge {
    parameters = Map.copyOf(parameters);
  }

  /**
   * Parses one challenge. Values may be quoted (and then hold commas and escaped quotes, as in
   * {@code scope="repository:a:pull,push"}) or bare tokens; names and the scheme are
   * case-insensitive.
   */
  public static Optional<AuthChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.strip();
    int space = text.indexOf(' ');
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    int i = space < 0 ? text.length() : space + 1;
    while (i < text.length()) {
      while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
        i++;
      }
      int equals = text.indexOf('=', i);
      if (equals < 0) {
        break;
      }
      String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
      i = equals + 1;
      StringBuilder value = new StringBuilder();
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          if (text.charAt(i) == '\\' && i + 1 < text.length()) {
            i++;
          }
          value.append(text.charAt(i++));
        }
        i++; // the closing quote
      } else {
        while (i < text.length() && text.charAt(i) != ',') {
          value.append(text.charAt(i++));
        }
      }
      parameters.put(name, value.toString().strip());
    }
    return Optional.of(new AuthChallenge(scheme, parameters));
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }

  /** The parameter {@code name} (any case); an empty value counts as absent. */
  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)))
        .filter(v -> !v.isEmpty());
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
