package dev.berth.controlplane;

import java.time.Clock;
import java.util.Set;

/**
 * What the ARM layer needs to know about its deployment: the tenant, where the management endpoint
 * and the token authority live, which token audiences it accepts. Immutable.
 *
 * @param tenantId the one tenant every principal belongs to
 * @param managementEndpoint the ARM base URL clients are configured with, e.g. {@code
 *     https://127.0.0.1:8444/}; it is also the audience {@code /metadata/endpoints} advertises
 * @param authority the token service's base URL, e.g. {@code https://127.0.0.1:8443}; 401
 *     challenges name {@code <authority>/<tenant>} and the metadata names {@code <authority>/adfs}
 * @param audiences the token audiences ARM calls accept
 * @param graphEndpoint advertised as {@code graphEndpoint} in the cloud metadata
 * @param portalEndpoint advertised as {@code portalEndpoint}
 * @param acrLoginServerSuffix advertised as {@code suffixes.acrLoginServer}, e.g. {@code
 *     .azurecr.io.localhost}
 * @param location the one location resources live in ({@code local})
 * @param bodyLimit the largest request body accepted, in bytes (ARM: 4 MB)
 * @param clock the time source for timestamps and {@code Date}
 * @param ingressHttpsPort the port apps answer on over HTTPS (0: none), advertised in the cloud
 *     metadata as Berth's own {@code berth.ingressHttpsPort} so a client prints a URL that works:
 *     the {@code fqdn} stays a bare host name, as in Container Apps
 */
public record ArmConfig(
    String tenantId,
    String managementEndpoint,
    String authority,
    Set<String> audiences,
    String graphEndpoint,
    String portalEndpoint,
    String acrLoginServerSuffix,
    String location,
    long bodyLimit,
    Clock clock,
    int ingressHttpsPort) {

  /** ARM's request size limit. */
  public static final long DEFAULT_BODY_LIMIT = 4L * 1024 * 1024;

  public ArmConfig {
    audiences = Set.copyOf(audiences);
  }

  /** The cloud's {@code acrLoginServer} suffix ({@code az cloud register}'s ACR suffix). */
  public static final String ACR_LOGIN_SERVER_SUFFIX = ".azurecr.io.localhost";

  /** A configuration with Berth's defaults for everything but the endpoints and tenant. */
  public static ArmConfig of(
      String tenantId, String managementEndpoint, String authority, Set<String> audiences) {
    return new ArmConfig(
        tenantId,
        managementEndpoint,
        authority,
        audiences,
        managementEndpoint,
        managementEndpoint,
        ACR_LOGIN_SERVER_SUFFIX,
        "local",
        DEFAULT_BODY_LIMIT,
        Clock.systemUTC(),
        443);
  }

  public ArmConfig withClock(Clock newClock) {
    return new ArmConfig(
        tenantId,
        managementEndpoint,
        authority,
        audiences,
        graphEndpoint,
        portalEndpoint,
        acrLoginServerSuffix,
        location,
        bodyLimit,
        newClock,
        ingressHttpsPort);
  }

  /** The same configuration with apps answering over HTTPS on {@code port}. */
  public ArmConfig withIngressHttpsPort(int port) {
    return new ArmConfig(
        tenantId,
        managementEndpoint,
        authority,
        audiences,
        graphEndpoint,
        portalEndpoint,
        acrLoginServerSuffix,
        location,
        bodyLimit,
        clock,
        port);
  }
}
