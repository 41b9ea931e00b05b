package dev.berth.identity;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How Berth's token service is set up: its one tenant, the base URL it serves on, the audiences it
 * issues tokens for, where its signing keys live, how long tokens last and which clock judges them.
 * Immutable and thread-safe.
 *
 * @param tenantId Berth's one tenant (a GUID)
 * @param authority the base URL clients reach Berth on, such as {@code https://127.0.0.1:8443}; the
 *     token issuer is {@code {authority}/{tenantId}/v2.0}
 * @param managementAudiences the audiences ARM accepts, each with and without a trailing slash
 * @param additionalAudiences further audiences the token endpoint issues for (besides management
 *     and {@link #REGISTRY_AUDIENCE})
 * @param keyDirectory the directory that holds the signing key set ({@code jwks.json})
 * @param tokenLifetime how long an access token is valid
 * @param clock the clock that stamps and judges tokens (tests move it)
 */
public record IdentityConfig(
    String tenantId,
    URI authority,
    Set<String> managementAudiences,
    Set<String> additionalAudiences,
    Path keyDirectory,
    Duration tokenLifetime,
    Clock clock) {

  /** The audience of Entra tokens for Azure Container Registry's data plane. */
  public static final String REGISTRY_AUDIENCE = "https://containerregistry.azure.net";

  /** Entra's default access-token lifetime. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

  public IdentityConfig {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(keyDirectory, "keyDirectory");
    Objects.requireNonNull(clock, "clock");
    if (!"https".equalsIgnoreCase(authority.getScheme())
        && !"http".equalsIgnoreCase(authority.getScheme())) {
      throw new IllegalArgumentException("authority must be an http(s) URL: " + authority);
    }
    if (tokenLifetime.isNegative() || tokenLifetime.compareTo(Duration.ofMinutes(2)) < 0) {
      throw new IllegalArgumentException("token lifetime too short: " + tokenLifetime);
    }
    authority = URI.create(stripSlash(authority.toString()));
    managementAudiences = Set.copyOf(managementAudiences);
    additionalAudiences = Set.copyOf(additionalAudiences);
  }

  /**
   * The usual configuration: management audiences are the authority itself plus Azure's public
   * management endpoints ({@code https://management.azure.com/}, {@code
   * https://management.core.windows.net/}), each with and without the trailing slash; tokens last
   * one hour; the system clock.
   */
  public static IdentityConfig of(String tenantId, URI authority, Path keyDirectory) {
    Set<String> management = new LinkedHashSet<>();
    for (String base :
        new String[] {
          stripSlash(authority.toString()),
          "https://management.azure.com",
          "https://management.core.windows.net"
        }) {
      management.add(base + "/");
      management.add(base);
    }
    return new IdentityConfig(
        tenantId,
        authority,
        management,
        Set.of(),
        keyDirectory,
        DEFAULT_TOKEN_LIFETIME,
        Clock.systemUTC());
  }

  public IdentityConfig withClock(Clock newClock) {
    return new IdentityConfig(
        tenantId,
        authority,
        managementAudiences,
        additionalAudiences,
        keyDirectory,
        tokenLifetime,
        newClock);
  }

  /** The {@code iss} of every token Berth issues: {@code {authority}/{tenantId}/v2.0}. */
  public String issuer() {
    return authority + "/" + tenantId + "/v2.0";
  }

  /**
   * True when the token endpoint issues tokens for this audience. Compared case-insensitively and
   * ignoring one trailing slash, as Entra matches resource URIs.
   */
  public boolean issuesFor(String audience) {
    String wanted = normalize(audience);
    if (wanted.equals(normalize(REGISTRY_AUDIENCE))) {
      return true;
    }
    for (String a : managementAudiences) {
      if (normalize(a).equals(wanted)) {
        return true;
      }
    }
    for (String a : additionalAudiences) {
      if (normalize(a).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /** The form audiences are compared in: lower case, without a trailing slash. */
  static String normalize(String audience) {
    return stripSlash(audience.strip()).toLowerCase(Locale.ROOT);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
