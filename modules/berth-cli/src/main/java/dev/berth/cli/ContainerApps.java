package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.AppUrls;
import dev.berth.client.ArmClient;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Ids, api-version, table columns and document helpers of {@code Microsoft.App} resources that the
 * {@code berth containerapp} commands share. Stateless, thread-safe.
 */
final class ContainerApps {

  static final String APP_TYPE = "Microsoft.App/containerApps";
  static final String ENV_TYPE = "Microsoft.App/managedEnvironments";

  /** az core's containerapp api-version ({@code CURRENT_API_VERSION}). */
  static final String API_VERSION = "api-version=2025-07-01";

  static final List<Output.Column> APP_COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("Location", "/location"),
          Output.Column.of("ResourceGroup", "/resourceGroup"),
          Output.Column.of("Fqdn", "/properties/configuration/ingress/fqdn"),
          Output.Column.of("LatestRevision", "/properties/latestRevisionName"),
          Output.Column.of("ProvisioningState", "/properties/provisioningState"),
          Output.Column.of("RunningStatus", "/properties/runningStatus"));

  /** Fields the server computes; dropped before an app is PUT back, as az does. */
  private static final List<String> READ_ONLY_PROPERTIES =
      List.of(
          "provisioningState",
          "runningStatus",
          "latestRevisionName",
          "latestReadyRevisionName",
          "latestRevisionFqdn",
          "customDomainVerificationId",
          "outboundIpAddresses",
          "eventStreamEndpoint");

  private ContainerApps() {}

  static String groupId(String subscriptionPath, String group) {
    return subscriptionPath + "/resourceGroups/" + group;
  }

  static String appId(String subscriptionPath, String group, String app) {
    return groupId(subscriptionPath, group) + "/providers/" + APP_TYPE + "/" + app;
  }

  /** An environment given by name (in {@code group}) or by full id (anything with a slash). */
  static String environmentId(String subscriptionPath, String group, String environment) {
    if (environment.contains("/")) {
      return environment;
    }
    return groupId(subscriptionPath, group) + "/providers/" + ENV_TYPE + "/" + environment;
  }

  /** {@code id?api-version=…}. */
  static String at(String id) {
    return id + "?" + API_VERSION;
  }

  /** {@code id/child?api-version=…}. */
  static String at(String id, String child) {
    return id + "/" + child + "?" + API_VERSION;
  }

  /** The resource group named in an ARM id. */
  static Optional<String> resourceGroupOf(String id) {
    String[] segments = id.split("/");
    for (int i = 0; i + 1 < segments.length; i++) {
      if (segments[i].equalsIgnoreCase("resourceGroups")) {
        return Optional.of(segments[i + 1]);
      }
    }
    return Optional.empty();
  }

  /**
   * A resource as az prints it: with {@code resourceGroup} from its id when the server has none.
   */
  static JsonNode withResourceGroup(JsonNode resource) {
    if (!(resource instanceof ObjectNode doc) || doc.has("resourceGroup")) {
      return resource;
    }
    ObjectNode out = doc.deepCopy();
    resourceGroupOf(out.path("id").asText()).ifPresent(g -> out.put("resourceGroup", g));
    return out;
  }

  static ArrayNode withResourceGroups(ArrayNode resources) {
    ArrayNode out = BerthCommand.JSON.createArrayNode();
    resources.forEach(r -> out.add(withResourceGroup(r)));
    return out;
  }

  /** A copy of {@code app} without the fields the server computes, ready to be PUT back. */
  static ObjectNode withoutReadOnlyFields(JsonNode app) {
    ObjectNode out = (ObjectNode) app.deepCopy();
    out.remove(List.of("systemData", "resourceGroup"));
    if (out.get("properties") instanceof ObjectNode properties) {
      properties.remove(READ_ONLY_PROPERTIES);
      if (properties.at("/configuration/ingress") instanceof ObjectNode ingress) {
        ingress.remove("fqdn");
      }
    }
    if (out.get("identity") instanceof ObjectNode identity) {
      identity.remove(List.of("principalId", "tenantId"));
      if (identity.get("userAssignedIdentities") instanceof ObjectNode users) {
        users
            .fieldNames()
            .forEachRemaining(id -> users.set(id, BerthCommand.JSON.createObjectNode()));
      }
    }
    return out;
  }

  /** {@code parent.name} as an object, created when missing. */
  static ObjectNode object(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
  }

  /** {@code parent.name} as an array, created when missing. */
  static ArrayNode array(ObjectNode parent, String name) {
    return parent.get(name) instanceof ArrayNode a ? a : parent.putArray(name);
  }

  /**
   * The port apps answer on over HTTPS, from Berth's cloud metadata ({@code
   * berth.ingressHttpsPort}; docs/ingress.md): 443 when it says nothing or cannot be read, as for
   * Container Apps.
   */
  static int ingressHttpsPort(ArmClient arm) {
    try {
      int port =
          arm.get("/metadata/endpoints?api-version=2022-09-01")
              .path(0)
              .path("berth")
              .path("ingressHttpsPort")
              .asInt(443);
      return port > 0 ? port : 443;
    } catch (RuntimeException e) {
      return 443; // an older Berth, or none: the fqdn as ARM gave it
    }
  }

  /**
   * The line {@code containerapp show} adds for people: where the app answers (with the ingress
   * port when it is not 443) and how many replicas its active revisions run now.
   */
  static String summary(ArmClient arm, String appId, JsonNode app) {
    int replicas = 0;
    for (JsonNode revision : arm.list(at(appId, "revisions"))) {
      if (revision.at("/properties/active").asBoolean(false)) {
        replicas += revision.at("/properties/replicas").asInt(0);
      }
    }
    String running = replicas + (replicas == 1 ? " replica" : " replicas") + " running.";
    String fqdn = app.at("/properties/configuration/ingress/fqdn").asText("");
    if (fqdn.isEmpty() || !app.at("/properties/configuration/ingress/external").asBoolean(false)) {
      return running.substring(0, 1).toUpperCase(Locale.ROOT) + running.substring(1);
    }
    return "Access your app at " + url(fqdn, ingressHttpsPort(arm)) + "/ (" + running + ")";
  }

  /** {@code https://<fqdn>}, with the port when it is not 443: the URL works as printed. */
  static String url(String fqdn, int httpsPort) {
    return AppUrls.https(fqdn, httpsPort);
  }
}
