package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.ArmConfig;
import dev.berth.http.Json;

/**
 * {@code GET /metadata/endpoints}: the cloud description {@code az cloud register} and the SDKs
 * read, anonymous. Versions before 2019-05-01 get ARM's original single object; later ones the list
 * of clouds that azure-cli's {@code _arm_to_cli_mapper} reads (it indexes {@code name}, {@code
 * authentication.audiences[0]}, {@code suffixes} and several endpoint keys directly, so all are
 * present). Thread-safe.
 */
public final class MetadataHandler {

  private final ArmConfig config;

  public MetadataHandler(ArmConfig config) {
    this.config = config;
  }

  public void get(ArmCall call) {
    String version = call.apiVersion();
    if (version.compareTo("2019-05-01") < 0) {
      call.json(200, legacy());
    } else {
      ArrayNode clouds = Json.MAPPER.createArrayNode();
      clouds.add(cloud());
      call.json(200, clouds);
    }
  }

  private String slash(String url) {
    return url.endsWith("/") ? url : url + "/";
  }

  private String login() {
    String a = config.authority();
    return (a.endsWith("/") ? a.substring(0, a.length() - 1) : a) + "/adfs";
  }

  private ObjectNode authentication() {
    ObjectNode auth = Json.object();
    auth.put("loginEndpoint", login());
    auth.putArray("audiences").add(slash(config.managementEndpoint()));
    auth.put("tenant", "adfs").put("identityProvider", "ADFS");
    return auth;
  }

  private ObjectNode legacy() {
    ObjectNode m = Json.object();
    m.put("galleryEndpoint", slash(config.managementEndpoint()))
        .put("graphEndpoint", slash(config.graphEndpoint()))
        .put("portalEndpoint", slash(config.portalEndpoint()))
        .put("resourceManager", slash(config.managementEndpoint()));
    m.set("authentication", authentication());
    m.putObject("suffixes").put("acrLoginServer", config.acrLoginServerSuffix());
    return m;
  }

  private ObjectNode cloud() {
    String arm = slash(config.managementEndpoint());
    ObjectNode c = Json.object();
    c.put("name", "Berth")
        .put("portal", slash(config.portalEndpoint()))
        .put("resourceManager", arm)
        .put("gallery", arm)
        .put("graph", slash(config.graphEndpoint()))
        .put("graphAudience", slash(config.graphEndpoint()))
        .put("microsoftGraphResourceId", slash(config.graphEndpoint()))
        .put("sqlManagement", arm)
        .put("batch", arm)
        .put("media", arm)
        .put("activeDirectoryDataLake", arm)
        .put("vmImageAliasDoc", arm + "metadata/vm-image-aliases.json");
    c.set("authentication", authentication());
    // Berth's own: the port apps' URLs need when it is not 443 (az ignores what it does not read).
    c.putObject("berth").put("ingressHttpsPort", config.ingressHttpsPort());
    c.putObject("suffixes")
        .put("acrLoginServer", config.acrLoginServerSuffix())
        .put("storage", "core.berth.local")
        .put("keyVaultDns", "vault.berth.local")
        .put("sqlServerHostname", "database.berth.local");
    return c;
  }
}
