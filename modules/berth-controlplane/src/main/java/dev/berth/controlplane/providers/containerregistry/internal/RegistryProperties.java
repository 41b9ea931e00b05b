package dev.berth.controlplane.providers.containerregistry.internal;

import static dev.berth.controlplane.providers.containerregistry.internal.Checks.bool;
import static dev.berth.controlplane.providers.containerregistry.internal.Checks.invalid;
import static dev.berth.controlplane.providers.containerregistry.internal.Checks.object;
import static dev.berth.controlplane.providers.containerregistry.internal.Checks.oneOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completes and checks a registry's {@code sku} and {@code properties} the way ACR's swagger
 * defines them: every default filled in, enums in canonical casing, IP rules IPv4 or CIDR, and
 * {@code properties.policies} always present (az 2.45 crashes on a registry without it). Stateless
 * and thread-safe.
 *
 * @see <a href="https://github.com/Azure/azure-rest-api-specs">containerregistry.json
 *     RegistryProperties, Policies, NetworkRuleSet</a>
 */
final class RegistryProperties {

  private static final Pattern IPV4_OR_CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

  private RegistryProperties() {}

  /** Fills in and checks {@code sku} and {@code properties} of a registry document in place. */
  static void complete(ObjectNode doc) {
    sku(doc);
    ObjectNode p = object(doc, "properties", "properties");
    bool(p, "adminUserEnabled", false, "properties.adminUserEnabled");
    bool(p, "anonymousPullEnabled", false, "properties.anonymousPullEnabled");
    bool(p, "dataEndpointEnabled", false, "properties.dataEndpointEnabled");
    oneOf(
        p,
        "publicNetworkAccess",
        "Enabled",
        "properties.publicNetworkAccess",
        "Enabled",
        "Disabled");
    oneOf(
        p,
        "networkRuleBypassOptions",
        "AzureServices",
        "properties.networkRuleBypassOptions",
        "AzureServices",
        "None");
    oneOf(p, "zoneRedundancy", "Disabled", "properties.zoneRedundancy", "Enabled", "Disabled");
    oneOf(
        p,
        "roleAssignmentMode",
        "LegacyRegistryPermissions",
        "properties.roleAssignmentMode",
        "LegacyRegistryPermissions",
        "AbacRepositoryPermissions");
    networkRules(p);
    policies(p);
    ObjectNode encryption = object(p, "encryption", "properties.encryption");
    oneOf(encryption, "status", "disabled", "properties.encryption.status", "enabled", "disabled");
    Checks.emptyArray(p, "dataEndpointHostNames");
    Checks.emptyArray(p, "privateEndpointConnections");
  }

  /** {@code sku.name} is required (Basic, Standard, Premium); {@code sku.tier} mirrors it. */
  private static void sku(ObjectNode doc) {
    JsonNode sku = doc.get("sku");
    if (sku == null || !sku.isObject() || sku.path("name").isMissingNode()) {
      throw invalid("sku", "The property 'sku.name' is required: Basic, Standard or Premium.");
    }
    String name = Checks.canonical(sku.get("name"), "sku.name", "Basic", "Standard", "Premium");
    ((ObjectNode) sku).put("name", name).put("tier", name);
  }

  private static void networkRules(ObjectNode p) {
    ObjectNode rules = object(p, "networkRuleSet", "properties.networkRuleSet");
    oneOf(
        rules,
        "defaultAction",
        "Allow",
        "properties.networkRuleSet.defaultAction",
        "Allow",
        "Deny");
    JsonNode ipRules = rules.get("ipRules");
    if (ipRules == null || ipRules.isNull()) {
      rules.putArray("ipRules");
      return;
    }
    if (!ipRules.isArray()) {
      throw invalid("properties.networkRuleSet.ipRules", "The property 'ipRules' must be a list.");
    }
    ArrayNode checked = Json.MAPPER.createArrayNode();
    for (int i = 0; i < ipRules.size(); i++) {
      String target = "properties.networkRuleSet.ipRules[" + i + "]";
      JsonNode rule = ipRules.get(i);
      if (!rule.isObject()) {
        throw invalid(target, "An IP rule must be an object {\"action\",\"value\"}.");
      }
      ObjectNode r = ((ObjectNode) rule).deepCopy();
      oneOf(r, "action", "Allow", target + ".action", "Allow");
      JsonNode value = r.get("value");
      if (value == null || !value.isTextual() || !isIpv4OrCidr(value.asText())) {
        throw invalid(
            target + ".value",
            "The IP rule value '"
                + (value == null ? "" : value.asText())
                + "' is invalid. Only IPV4 addresses or CIDR ranges (such as 1.2.3.4 or"
                + " 1.2.3.0/24) are allowed.");
      }
      checked.add(r);
    }
    rules.set("ipRules", checked);
  }

  static boolean isIpv4OrCidr(String value) {
    Matcher m = IPV4_OR_CIDR.matcher(value);
    if (!m.matches()) {
      return false;
    }
    for (int g = 1; g <= 4; g++) {
      if (Integer.parseInt(m.group(g)) > 255) {
        return false;
      }
    }
    return m.group(5) == null || Integer.parseInt(m.group(5)) <= 32;
  }

  /** Every policy with its swagger default; statuses are lower case {@code enabled|disabled}. */
  private static void policies(ObjectNode p) {
    ObjectNode policies = object(p, "policies", "properties.policies");
    status(policies, "quarantinePolicy", "disabled");
    status(policies, "trustPolicy", "disabled");
    oneOf(
        object(policies, "trustPolicy", "properties.policies.trustPolicy"),
        "type",
        "Notary",
        "properties.policies.trustPolicy.type",
        "Notary");
    status(policies, "retentionPolicy", "disabled");
    Checks.integer(
        object(policies, "retentionPolicy", "properties.policies.retentionPolicy"),
        "days",
        7,
        "properties.policies.retentionPolicy.days");
    status(policies, "exportPolicy", "enabled");
    status(policies, "azureADAuthenticationAsArmPolicy", "enabled");
    status(policies, "softDeletePolicy", "disabled");
    Checks.integer(
        object(policies, "softDeletePolicy", "properties.policies.softDeletePolicy"),
        "retentionDays",
        7,
        "properties.policies.softDeletePolicy.retentionDays");
  }

  private static void status(ObjectNode policies, String name, String dflt) {
    String target = "properties.policies." + name;
    oneOf(
        object(policies, name, target), "status", dflt, target + ".status", "enabled", "disabled");
  }
}
