package dev.berth.identity.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OIDC discovery documents (tenant v2, tenant v1, ADFS) and MSAL's instance-discovery answer,
 * with every URL built from the base URL the client called. Stateless.
 */
public final class DiscoveryDocuments {

  private DiscoveryDocuments() {}

  /** {@code /{tenant}/v2.0/.well-known/openid-configuration} and its v1 sibling. */
  public static Map<String, Object> tenant(String base, String tenantId, boolean v2) {
    String root = base + "/" + tenantId;
    String oauth = root + (v2 ? "/oauth2/v2.0" : "/oauth2");
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", root + "/v2.0");
    // People sign in through the v2 route only (UserSignIn); the v1 document points there too.
    doc.put("authorization_endpoint", root + "/oauth2/v2.0/authorize");
    doc.put("token_endpoint", oauth + "/token");
    doc.put("device_authorization_endpoint", oauth + "/devicecode");
    doc.put("jwks_uri", root + (v2 ? "/discovery/v2.0/keys" : "/discovery/keys"));
    common(doc);
    doc.put("tenant_region_scope", "WW");
    doc.put("cloud_instance_name", hostPort(base));
    doc.put("cloud_graph_host_name", hostPort(base));
    doc.put("msgraph_host", hostPort(base));
    return doc;
  }

  /**
   * {@code /adfs/.well-known/openid-configuration}; az needs the token endpoint. People sign in
   * through the tenant's v2 authorize route, as from the tenant documents: ADFS has none of its
   * own.
   */
  public static Map<String, Object> adfs(String base, String tenantId, String accessTokenIssuer) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", base + "/adfs");
    doc.put("authorization_endpoint", base + "/" + tenantId + "/oauth2/v2.0/authorize");
    doc.put("token_endpoint", base + "/adfs/oauth2/token");
    doc.put("jwks_uri", base + "/adfs/discovery/keys");
    doc.put("access_token_issuer", accessTokenIssuer);
    common(doc);
    return doc;
  }

  /**
   * {@code /common/discovery/instance}: MSAL asks it for hosts it does not know; only {@code
   * tenant_discovery_endpoint} is read, the metadata makes the host its own alias.
   */
  public static Map<String, Object> instance(String base, String tenantId) {
    String host = hostPort(base);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(
        "tenant_discovery_endpoint",
        base + "/" + tenantId + "/v2.0/.well-known/openid-configuration");
    doc.put("api-version", "1.1");
    doc.put(
        "metadata",
        List.of(
            Map.of(
                "preferred_network", host,
                "preferred_cache", host,
                "aliases", List.of(host))));
    return doc;
  }

  private static void common(Map<String, Object> doc) {
    doc.put("response_types_supported", List.of("code", "id_token", "code id_token", "token"));
    doc.put("response_modes_supported", List.of("query", "fragment", "form_post"));
    doc.put("subject_types_supported", List.of("pairwise"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
    doc.put(
        "token_endpoint_auth_methods_supported",
        List.of("client_secret_post", "client_secret_basic"));
    doc.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
    doc.put("code_challenge_methods_supported", List.of("S256"));
    doc.put(
        "claims_supported",
        List.of(
            "sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "appid", "azp", "idtyp",
            "ver"));
    doc.put("request_uri_parameter_supported", false);
  }

  private static String hostPort(String base) {
    URI uri = URI.create(base);
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }
}
