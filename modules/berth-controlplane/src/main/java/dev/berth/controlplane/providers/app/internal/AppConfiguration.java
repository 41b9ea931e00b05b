package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks and completes {@code properties.configuration}, the application-scope settings that never
 * create a revision: secrets, the revision mode (default {@code Single}), registries and their
 * credentials (a password secret or an identity the app has), and ingress ({@code fqdn} computed,
 * {@code transport} {@code auto}, traffic to the latest revision by default). Stateless.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/revisions">Revisions: application
 *     scope changes</a>
 */
final class AppConfiguration {

  private static final Set<String> TRANSPORTS = Set.of("auto", "http", "http2", "tcp");

  private AppConfiguration() {}

  /**
   * @param desired the whole desired app (its {@code identity} already canonical)
   * @param appName the app's name, the first label of its ingress {@code fqdn}
   * @param defaultDomain the environment's domain
   * @return the secret names, which env variables of the template may reference
   */
  static Set<String> apply(
      ObjectNode desired, Optional<ObjectNode> current, String appName, String defaultDomain) {
    ObjectNode props = Fields.object(desired, "properties", "properties");
    ObjectNode config = Fields.object(props, "configuration", "properties.configuration");
    AppLimits.secretNames(config);
    Set<String> secrets = AppSecrets.apply(config, current);

    String mode = Fields.text(config, "activeRevisionsMode", "configuration.activeRevisionsMode");
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "", "single" -> config.put("activeRevisionsMode", "Single");
      case "multiple" -> config.put("activeRevisionsMode", "Multiple");
      default ->
          throw Fields.invalid(
              "configuration.activeRevisionsMode",
              "'" + mode + "' is not a revision mode; use 'Single' or 'Multiple'");
    }
    registries(desired, config, secrets);
    ingress(config, appName, defaultDomain);
    return secrets;
  }

  private static void registries(ObjectNode desired, ObjectNode config, Set<String> secrets) {
    ArrayNode registries =
        Fields.array(config, "registries", "properties.configuration.registries");
    for (int i = 0; i < registries.size(); i++) {
      String path = "properties.configuration.registries[" + i + "]";
      ObjectNode r = Fields.element(registries.get(i), path);
      String server = Fields.text(r, "server", path + ".server");
      String field = "configuration.registries." + (server.isEmpty() ? i : server);
      if (server.isEmpty()) {
        throw Fields.invalid(field + ".server", "the registry server is required");
      }
      String secretRef = Fields.text(r, "passwordSecretRef", path + ".passwordSecretRef");
      if (!secretRef.isEmpty() && !secrets.contains(secretRef)) {
        throw Fields.invalid(
            field + ".passwordSecretRef",
            "the secret '" + secretRef + "' is not defined in configuration.secrets");
      }
      String identity = Fields.text(r, "identity", path + ".identity");
      if (identity.isEmpty()) {
        continue;
      }
      if (identity.equalsIgnoreCase("system")) {
        if (!AppIdentityBlock.hasSystem(desired)) {
          throw Fields.invalid(
              field + ".identity",
              "the identity 'system' needs a system-assigned identity on the app; set"
                  + " identity.type to include 'SystemAssigned'");
        }
      } else if (identity.equalsIgnoreCase("system-environment")) {
        throw Fields.invalid(
            field + ".identity",
            "the environment's identity ('system-environment') is not supported by Berth; use"
                + " 'system' or a user-assigned identity of the app");
      } else if (AppIdentityBlock.userAssigned(desired, identity).isEmpty()) {
        throw Fields.invalid(
            field + ".identity",
            "the identity '"
                + identity
                + "' is neither 'system' nor a user-assigned identity of the app; add it to"
                + " identity.userAssignedIdentities");
      }
    }
  }

  private static void ingress(ObjectNode config, String appName, String defaultDomain) {
    if (!config.hasNonNull("ingress")) {
      return;
    }
    ObjectNode ingress = Fields.object(config, "ingress", "properties.configuration.ingress");
    String transport = Fields.text(ingress, "transport", "configuration.ingress.transport");
    String t = transport.isEmpty() ? "auto" : transport.toLowerCase(Locale.ROOT);
    if (!TRANSPORTS.contains(t)) {
      throw Fields.invalid(
          "configuration.ingress.transport",
          "'" + transport + "' is not a transport; use auto, http, http2 or tcp");
    }
    ingress.put("transport", t);
    if (ingress.hasNonNull("targetPort") && !ingress.path("targetPort").canConvertToInt()) {
      throw Fields.schema("properties.configuration.ingress.targetPort");
    }
    int port = ingress.path("targetPort").asInt(0);
    if (port < 0 || port > 65535) {
      throw Fields.invalid(
          "configuration.ingress.targetPort", "the port " + port + " is not between 1 and 65535");
    }
    Fields.bool(ingress, "external", "properties.configuration.ingress.external");
    Fields.bool(ingress, "allowInsecure", "properties.configuration.ingress.allowInsecure");
    ArrayNode traffic =
        Fields.array(ingress, "traffic", "properties.configuration.ingress.traffic");
    if (traffic.isEmpty()) {
      traffic.addObject().put("weight", 100).put("latestRevision", true);
    }
    AppTraffic.checkRules(ingress);
    AppLimits.traffic(ingress);
    AppIngressRules.apply(ingress);
    // Internal ingress answers at <app>.internal.<domain>, as in Container Apps.
    boolean internal = !ingress.path("external").asBoolean(false);
    ingress.put("fqdn", appName + (internal ? ".internal." : ".") + defaultDomain);
  }
}
