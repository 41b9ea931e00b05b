package dev.berth.portal;

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
 */
public record PortalSettings(
    URI managementEndpoint, URI authority, String tenantId, HttpClient http, Clock clock) {

  /** The OAuth client id the portal signs people in as: a public client, PKCE only. */
  public static final String CLIENT_ID = "berth-portal";

  public PortalSettings {
    Objects.requireNonNull(managementEndpoint, "managementEndpoint");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
  }
}
