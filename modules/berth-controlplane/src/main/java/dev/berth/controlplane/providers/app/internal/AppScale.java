package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks {@code properties.template.scale} before anything is stored, naming the field that is
 * wrong: replicas 0 to 1000 with {@code minReplicas ≤ maxReplicas} (filled as 0 and 10 when
 * absent), {@code cooldownPeriod} and {@code pollingInterval} whole seconds, 0 or more, and rules
 * that each have a unique name and one kind, an HTTP rule's {@code concurrentRequests} a whole
 * number, 1 or more, stored as the string ACA stores. Stateless.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/scale-app">Scaling in Azure
 *     Container Apps</a>
 * @see <a href="https://learn.microsoft.com/azure/container-apps/quotas">ACA quotas: at most 1000
 *     replicas from the CLI</a>
 */
final class AppScale {

  static final int MAX_REPLICAS = 1000;
  private static final String PATH = "properties.template.scale.";
  private static final String FIELD = "template.scale.";
  private static final String[] KINDS = {"azureQueue", "custom", "http", "tcp"};

  private AppScale() {}

  static void apply(ObjectNode scale) {
    int min = whole(scale, "minReplicas", 0);
    int max = whole(scale, "maxReplicas", 10);
    if (min < 0) {
      throw Fields.invalid(FIELD + "minReplicas", "minReplicas (" + min + ") must be 0 or more");
    }
    if (max < 1) {
      throw Fields.invalid(FIELD + "maxReplicas", "maxReplicas (" + max + ") must be 1 or more");
    }
    for (String f : new String[] {"minReplicas", "maxReplicas"}) {
      int n = f.equals("minReplicas") ? min : max;
      if (n > MAX_REPLICAS) {
        throw Fields.invalid(FIELD + f, f + " (" + n + ") must be at most " + MAX_REPLICAS);
      }
    }
    if (min > max) {
      throw Fields.invalid(
          FIELD + "minReplicas",
          "minReplicas (" + min + ") must not be more than maxReplicas (" + max + ")");
    }
    scale.put("minReplicas", min).put("maxReplicas", max);
    for (String f : new String[] {"cooldownPeriod", "pollingInterval"}) {
      if (scale.hasNonNull(f) && whole(scale, f, 0) < 0) {
        throw Fields.invalid(FIELD + f, f + " must be a number of seconds, 0 or more");
      }
    }
    rules(Fields.array(scale, "rules", PATH + "rules"));
  }

  private static void rules(ArrayNode rules) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String path = PATH + "rules[" + i + "]";
      ObjectNode rule = Fields.element(rules.get(i), path);
      String name = Fields.text(rule, "name", path + ".name");
      if (name.isBlank()) {
        throw Fields.invalid(FIELD + "rules", "every scale rule needs a name");
      }
      String field = FIELD + "rules." + name;
      if (!names.add(name)) {
        throw Fields.invalid(field, "the scale rule name '" + name + "' is used more than once");
      }
      String kind = null;
      for (String k : KINDS) {
        if (rule.hasNonNull(k)) {
          if (kind != null) {
            throw Fields.invalid(field, "a scale rule has one of azureQueue, custom, http or tcp");
          }
          kind = k;
        }
      }
      if (kind == null) {
        throw Fields.invalid(field, "a scale rule needs one of azureQueue, custom, http or tcp");
      }
      ObjectNode body = Fields.object(rule, kind, path + "." + kind);
      boolean http =
          kind.equals("http")
              || (kind.equals("custom") && "http".equalsIgnoreCase(body.path("type").asText()));
      if (http) {
        concurrentRequests(
            Fields.object(body, "metadata", path + "." + kind + ".metadata"),
            field + "." + kind + ".metadata.concurrentRequests");
      }
    }
  }

  /**
   * ACA's metadata values are strings ({@code "50"}); a JSON number is accepted too, and stored as
   * the string ACA would store.
   */
  private static void concurrentRequests(ObjectNode metadata, String field) {
    JsonNode v = metadata.get("concurrentRequests");
    if (v == null || v.isNull()) {
      return;
    }
    String text = v.isIntegralNumber() ? v.asText() : v.isTextual() ? v.asText().strip() : "";
    if (!text.matches("\\d{1,9}") || Integer.parseInt(text) < 1) {
      throw Fields.invalid(
          field,
          "concurrentRequests must be a whole number of requests, 1 or more, such as \"10\"");
    }
    metadata.put("concurrentRequests", Integer.toString(Integer.parseInt(text)));
  }

  /**
   * A whole-number field, {@code fallback} when absent; a value of another type is a schema error.
   */
  private static int whole(ObjectNode scale, String name, int fallback) {
    JsonNode v = scale.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw Fields.schema(PATH + name);
    }
    return v.intValue();
  }
}
