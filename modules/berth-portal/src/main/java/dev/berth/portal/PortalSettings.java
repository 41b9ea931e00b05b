package dev.berth.portal;

import dev.berth.client.AppUrls;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Objects;

/**
 * What the portal needs to know about the Berth it runs in: where the REST API and the token
 * service listen, the tenant people sign in to, and an HTTP client that trusts Berth's CA.
 * Immutable.
 *
 * @param managementEndpoint the ARM endpoint the pages call, with its trailing slash
 * @param authority the token service's base URL (the sign-in redirects there)
 * @param tenantId Berth's one tenant
 * @param http a client that trusts Berth's own CA, for the API and token calls
 * @param clock the clock sessions expire by
 * @param ingressHttpsPort the port apps answer HTTPS on, which the app URLs shown must name when it
 *     is not 443; 0 when Berth has no HTTPS ingress
 */
public record PortalSettings(
    URI managementEndpoint,
    URI authority,
    String tenantId,
    HttpClient http,
    Clock clock,
    int ingressHttpsPort) {

  /** The OAuth client id the portal signs people in as: a public client, PKCE only. */
  public static final String CLIENT_ID = "berth-portal";

  public PortalSettings {
    Objects.requireNonNull(managementEndpoint, "managementEndpoint");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
  }

  /**
   * The URL an app answers at, as a person can open it: {@code https://<fqdn>/}, with the ingress
   * port when it is not 443 (as {@code berth containerapp show} prints it); empty without an fqdn.
   */
  public String appUrl(String fqdn) {
    return fqdn.isBlank() ? "" : AppUrls.https(fqdn, ingressHttpsPort) + "/";
  }
}
