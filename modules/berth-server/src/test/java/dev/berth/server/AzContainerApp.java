package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code az containerapp} commands of docs/az-containerapp.md, step for step as az 2.53 / the
 * extension 0.3.41 take them (what they read, change and send, and what they return to print), over
 * {@link AzCalls}. Where az itself would crash on an answer (a {@code null} label), this fails the
 * same way. Not thread-safe.
 */
final class AzContainerApp {

  private final AzCalls az;
  private final String app;

  AzContainerApp(AzCalls az, String appId) {
    this.az = az;
    this.app = appId;
  }

  /** {@code az containerapp ingress show}. */
  JsonNode ingressShow() throws Exception {
    az.checkRegistered();
    return az.show(app).at("/properties/configuration").get("ingress");
  }

  /** {@code az containerapp ingress enable --type … --target-port … --transport auto}. */
  JsonNode ingressEnable(String type, int targetPort) throws Exception {
    az.checkRegistered();
    ObjectNode def = az.show(app);
    ObjectNode ingress = Json.object();
    ingress.putNull("fqdn");
    ingress.put("external", type.equalsIgnoreCase("external"));
    ingress.put("targetPort", targetPort);
    ingress.put("transport", "auto");
    ingress.putNull("exposedPort");
    for (String f : List.of("traffic", "customDomains", "ipSecurityRestrictions")) {
      ingress.putNull(f);
    }
    ingress.putNull("stickySessions");
    ingress.put("allowInsecure", false);
    configuration(def).set("ingress", ingress);
    az.keepSecrets(app, def);
    return az.put(app, def).at("/properties/configuration/ingress");
  }

  /** {@code az containerapp ingress disable}: prints nothing. */
  void ingressDisable() throws Exception {
    az.checkRegistered();
    ObjectNode def = az.show(app);
    configuration(def).putNull("ingress");
    az.keepSecrets(app, def);
    az.put(app, def);
  }

  /** {@code az containerapp revision set-mode --mode …}: the mode az prints. */
  String setMode(String mode) throws Exception {
    az.checkRegistered();
    ObjectNode def = az.show(app);
    configuration(def).put("activeRevisionsMode", mode.toLowerCase(Locale.ROOT));
    az.keepSecrets(app, def);
    return az.put(app, def).at("/properties/configuration/activeRevisionsMode").asText();
  }

  /** {@code az containerapp ingress traffic show}. */
  JsonNode trafficShow() throws Exception {
    az.checkRegistered();
    return az.show(app).at("/properties/configuration/ingress/traffic");
  }

  /**
   * {@code az containerapp ingress traffic set --revision-weight R=W…} (no label weights): an
   * existing rule gets the weight as the string az parsed, a new rule an int.
   */
  JsonNode trafficSet(String... revisionWeights) throws Exception {
    az.checkRegistered();
    ObjectNode def = az.show(app);
    if (configuration(def).path("activeRevisionsMode").asText().equalsIgnoreCase("single")) {
      throw new AzCalls.AzError(0, "ValidationError", "configured for single revision");
    }
    ArrayNode traffic = (ArrayNode) def.at("/properties/configuration/ingress/traffic");
    int oldSum = 0;
    int newSum = 0;
    List<String> names = new ArrayList<>();
    for (String rw : revisionWeights) {
      String name = rw.substring(0, rw.indexOf('='));
      String weight = rw.substring(rw.indexOf('=') + 1);
      names.add(name.toLowerCase(Locale.ROOT));
      newSum += Integer.parseInt(weight);
      ObjectNode existing = ruleOf(traffic, name);
      if (existing != null) {
        oldSum += existing.path("weight").asInt();
        existing.put("weight", weight);
      } else {
        ObjectNode rule = traffic.addObject();
        if (name.equalsIgnoreCase("latest")) {
          rule.putNull("revisionName");
        } else {
          rule.put("revisionName", name);
        }
        rule.put("weight", Integer.parseInt(weight));
        rule.put("latestRevision", name.equalsIgnoreCase("latest"));
      }
    }
    if (newSum > 100) {
      throw new AzCalls.AzError(0, "ValidationError", "Traffic sums may not exceed 100.");
    }
    for (String n : names) {
      if (!n.equals("latest")) {
        az.showRevision(app, n);
      }
    }
    rescale(traffic, names, oldSum, newSum);
    return az.patch(app, trafficPatch(traffic), AzCalls.GA)
        .at("/properties/configuration/ingress/traffic");
  }

  /** {@code az containerapp revision label add --revision R --label L --yes}. */
  JsonNode labelAdd(String revision, String label) throws Exception {
    az.checkRegistered();
    ObjectNode def = az.show(app);
    ArrayNode traffic = (ArrayNode) def.at("/properties/configuration/ingress/traffic");
    if (!revision.equalsIgnoreCase("latest")) {
      az.showRevision(app, revision);
    }
    boolean added = false;
    for (JsonNode w : traffic) {
      ObjectNode rule = (ObjectNode) w;
      if (rule.has("label") && lower(rule.get("label")).equals(label.toLowerCase(Locale.ROOT))) {
        rule.putNull("label");
      }
      if (rule.has("latestRevision")) {
        if (revision.equalsIgnoreCase("latest") && rule.path("latestRevision").asBoolean()) {
          added = true;
          rule.put("label", label);
        }
      } else if (revision.equalsIgnoreCase(rule.path("revisionName").asText())) {
        added = true;
        rule.put("label", label);
      }
    }
    if (!added) {
      ObjectNode rule = traffic.addObject();
      rule.put("revisionName", revision).put("weight", 0).put("latestRevision", false);
      rule.put("label", label);
    }
    return az.patch(app, trafficPatch(traffic), AzCalls.GA)
        .at("/properties/configuration/ingress/traffic");
  }

  /** {@code az containerapp revision label remove --label L}. */
  JsonNode labelRemove(String label) throws Exception {
    az.checkRegistered();
    ArrayNode traffic = (ArrayNode) az.show(app).at("/properties/configuration/ingress/traffic");
    for (JsonNode w : traffic) {
      if (w.has("label") && lower(w.get("label")).equals(label.toLowerCase(Locale.ROOT))) {
        ((ObjectNode) w).putNull("label");
        break;
      }
    }
    return az.patch(app, trafficPatch(traffic), AzCalls.GA)
        .at("/properties/configuration/ingress/traffic");
  }

  /**
   * {@code az containerapp update --min-replicas N --max-replicas M --scale-rule-name R
   * --scale-rule-http-concurrency C} through the extension's preview client: the app az prints.
   */
  ObjectNode updateScale(int min, int max, String rule, int concurrency) throws Exception {
    az.checkRegistered();
    az.show(app);
    ObjectNode patch = Json.object();
    ObjectNode template = patch.putObject("properties").putObject("template");
    ObjectNode scale = template.putObject("scale").put("minReplicas", min).put("maxReplicas", max);
    ObjectNode r = scale.putArray("rules").addObject().put("name", rule);
    r.putNull("azureQueue");
    r.putNull("custom");
    ObjectNode http = r.putObject("http");
    http.putObject("metadata").put("concurrentRequests", Integer.toString(concurrency));
    http.putArray("auth");
    template.putNull("revisionSuffix");
    return az.patch(app, patch, AzCalls.PREVIEW);
  }

  /** az's {@code _update_weights}: the rules not named share what is left, then +1 round-robin. */
  private static void rescale(ArrayNode traffic, List<String> names, int oldSum, int newSum) {
    int total = 0;
    for (JsonNode w : traffic) {
      total += Integer.parseInt(w.path("weight").asText());
    }
    int divisor = total - newSum;
    if (divisor == 0) {
      return;
    }
    double factor = (double) (oldSum - newSum) / divisor + 1;
    for (JsonNode w : traffic) {
      boolean latest = w.path("latestRevision").asBoolean();
      String key = latest ? "latest" : w.path("revisionName").asText().toLowerCase(Locale.ROOT);
      if (!names.contains(key)) {
        ((ObjectNode) w).put("weight", Math.round(factor * w.path("weight").asInt()));
      }
    }
  }

  private static ObjectNode ruleOf(ArrayNode traffic, String name) {
    for (JsonNode w : traffic) {
      if (w.path("latestRevision").asBoolean()) {
        if (name.equalsIgnoreCase("latest")) {
          return (ObjectNode) w;
        }
      } else if (w.has("revisionName") && name.equalsIgnoreCase(w.get("revisionName").asText())) {
        return (ObjectNode) w;
      }
    }
    return null;
  }

  /** az calls {@code .lower()} on a label it finds: a JSON null there stops the command. */
  private static String lower(JsonNode label) {
    if (!label.isTextual()) {
      throw new AssertionError(
          "az would crash here: 'NoneType' object has no attribute 'lower' (label " + label + ")");
    }
    return label.asText().toLowerCase(Locale.ROOT);
  }

  private static ObjectNode trafficPatch(ArrayNode traffic) {
    ObjectNode patch = Json.object();
    patch
        .putObject("properties")
        .putObject("configuration")
        .putObject("ingress")
        .set("traffic", traffic);
    return patch;
  }

  private static ObjectNode configuration(ObjectNode def) {
    return (ObjectNode) def.at("/properties/configuration");
  }
}
