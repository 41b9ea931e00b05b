package dev.berth.ingress;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An app's {@code corsPolicy}, with the header values the ingress sends computed once: which
 * origins may call, and what a preflight answer and a response to an allowed origin carry. A value;
 * thread-safe.
 *
 * @param origins allowed origins, lower case; {@code *} allows any
 * @param allowMethods {@code Access-Control-Allow-Methods}, or empty
 * @param allowHeaders {@code Access-Control-Allow-Headers}, or empty
 * @param exposeHeaders {@code Access-Control-Expose-Headers}, or empty
 * @param maxAge {@code Access-Control-Max-Age} in seconds, or empty
 * @param allowCredentials {@code Access-Control-Allow-Credentials: true}
 * @see <a href="https://learn.microsoft.com/azure/container-apps/cors">CORS in Azure Container
 *     Apps</a>
 */
public record CorsPolicy(
    Set<String> origins,
    String allowMethods,
    String allowHeaders,
    String exposeHeaders,
    String maxAge,
    boolean allowCredentials) {

  public CorsPolicy {
    origins = Set.copyOf(origins);
  }

  /** The policy of these {@code corsPolicy} fields. */
  public static CorsPolicy of(
      List<String> allowedOrigins,
      List<String> allowedMethods,
      List<String> allowedHeaders,
      List<String> exposeHeaders,
      int maxAge,
      boolean allowCredentials) {
    return new CorsPolicy(
        allowedOrigins.stream()
            .map(o -> stripSlash(o.strip().toLowerCase(Locale.ROOT)))
            .collect(Collectors.toSet()),
        String.join(", ", allowedMethods),
        String.join(", ", allowedHeaders),
        String.join(", ", exposeHeaders),
        maxAge > 0 ? Integer.toString(maxAge) : "",
        allowCredentials);
  }

  /** Whether a browser page from {@code origin} may call the app. */
  public boolean allows(String origin) {
    return origins.contains("*") || origins.contains(stripSlash(origin.toLowerCase(Locale.ROOT)));
  }

  private static String stripSlash(String origin) {
    return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
  }
}
