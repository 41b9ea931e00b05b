package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The upper and lower bounds of a container app body, checked after {@link AppTemplate} and {@link
 * AppConfiguration} have filled the defaults, so that no value Berth later turns into replicas,
 * cgroup limits, env files or probe loops can be absurd (replicas: {@link AppScale}): at most 4
 * cores and 8 GiB per replica, container names, images, env names and probe timings in ACA's
 * ranges, secret names in ACA's grammar, traffic weights 0–100 summing to 100. Numbers are compared
 * as {@link BigDecimal}, so {@code 99999999999999999999Gi} is refused, never overflowed. Stateless.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/quotas">ACA quotas: "maximum
 *     replicas configurable are ... 1000 in Azure CLI"; 4 cores per replica (Consumption)</a>
 * @see <a href="https://learn.microsoft.com/azure/container-apps/containers">ACA containers: the
 *     total CPU and memory of all containers</a>
 */
final class AppLimits {

  static final BigDecimal MAX_CORES = BigDecimal.valueOf(4);
  static final BigDecimal MAX_MEMORY = BigDecimal.valueOf(8L << 30);

  /**
   * Containers. ACA publishes no figure; with 0.25 cores the least a container may ask and 4 cores
   * per replica, no replica holds more than 16.
   */
  static final int MAX_CONTAINERS = 16;

  /** ACA's container name rule (a Kubernetes RFC 1123 label). */
  private static final Pattern CONTAINER_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** ACA's secret name rule (a Kubernetes DNS subdomain), at most 253 characters. */
  private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  static final int MAX_SECRET_NAME = 253;

  /**
   * A host name's label (RFC 1035): a revision's name and {@code <app>---<label>} are each the
   * first label of a host the ingress serves.
   */
  static final int MAX_HOST_LABEL = 63;

  /** A C identifier with '-' and '.' as Kubernetes allows in env names; no '=' nor NUL. */
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]{0,1023}");

  /** An HTTP probe's path: absolute, of characters a URI path and query may hold. */
  private static final Pattern PROBE_PATH =
      Pattern.compile("/[A-Za-z0-9\\-._~!$&'()*+,;=:@/%?]{0,2047}");

  private AppLimits() {}

  /** Checks {@code properties.template} once its defaults are filled in. */
  static void template(ObjectNode template) {
    ArrayNode containers = (ArrayNode) template.path("containers");
    if (containers.size() > MAX_CONTAINERS) {
      throw Fields.invalid(
          "template.containers",
          "a container app may have at most " + MAX_CONTAINERS + " containers");
    }
    BigDecimal cores = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (JsonNode c : containers) {
      container(c, "template.containers");
      cores = cores.add(c.path("resources").path("cpu").decimalValue());
      memory = memory.add(memoryBytes(c, "template.containers"));
    }
    // ACA sums the containers of a replica: it runs on one workload-profile slot.
    if (cores.compareTo(MAX_CORES) > 0 || memory.compareTo(MAX_MEMORY) > 0) {
      throw Fields.invalid(
          "template.containers",
          "the containers together ask for "
              + cores.stripTrailingZeros().toPlainString()
              + " cores and "
              + memory.divide(BigDecimal.valueOf(1L << 30)).stripTrailingZeros().toPlainString()
              + "Gi; a replica has at most 4 cores and 8Gi");
    }
  }

  private static void container(JsonNode c, String kind) {
    String name = c.path("name").asText();
    String field = kind + "." + name;
    if (!CONTAINER_NAME.matcher(name).matches()) {
      throw Fields.invalid(
          field,
          "the container name must consist of lower case alphanumeric characters or '-', start"
              + " and end with an alphanumeric character, and be at most 63 characters");
    }
    String image = c.path("image").asText();
    if (!ImageReferences.isValid(image)) {
      throw Fields.invalid(
          field + ".image",
          "'"
              + clip(image)
              + "' is not an image reference such as 'myregistry.azurecr.io/app:1.0'");
    }
    for (JsonNode e : c.path("env")) {
      String env = e.path("name").asText();
      if (!ENV_NAME.matcher(env).matches()) {
        throw Fields.invalid(
            field + ".env",
            "the env name '"
                + clip(env)
                + "' must consist of letters, digits, '_', '-' or '.', and not start with a"
                + " digit");
      }
    }
    for (JsonNode p : c.path("probes")) {
      probe(p, field + ".probes." + p.path("type").asText());
    }
  }

  /**
   * ACA's probe ranges ({@code ContainerAppProbe} in Azure/azure-rest-api-specs {@code
   * specification/app/resource-manager/Microsoft.App/ContainerApps/stable/2025-07-01/CommonDefinitions.json});
   * 0 initial delay is Berth's default, kept.
   */
  private static void probe(JsonNode p, String field) {
    range(p, "initialDelaySeconds", 0, 60, field);
    range(p, "periodSeconds", 1, 240, field);
    range(p, "timeoutSeconds", 1, 240, field);
    range(p, "successThreshold", 1, 10, field);
    range(p, "failureThreshold", 1, 10, field);
    JsonNode http = p.path("httpGet");
    if (http.isObject()) {
      String path = http.path("path").asText("/");
      if (!PROBE_PATH.matcher(path).matches()) {
        throw Fields.invalid(
            field + ".httpGet.path", "the path must start with '/' and be a URI path");
      }
      String scheme = http.path("scheme").asText("HTTP");
      if (!scheme.equalsIgnoreCase("HTTP") && !scheme.equalsIgnoreCase("HTTPS")) {
        throw Fields.invalid(field + ".httpGet.scheme", "the scheme must be HTTP or HTTPS");
      }
    }
  }

  private static void range(JsonNode p, String name, int min, int max, String field) {
    JsonNode v = p.get(name);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      throw Fields.invalid(
          field + "." + name, name + " must be a whole number from " + min + " to " + max);
    }
  }

  /** The bytes of a container's {@code memory} ({@code 512Mi}, {@code 1.5Gi}), exactly. */
  private static BigDecimal memoryBytes(JsonNode c, String kind) {
    String text = c.path("resources").path("memory").asText();
    String field = kind + "." + c.path("name").asText() + ".resources.memory";
    int unit = text.length() - 2;
    if (unit > 24) {
      // No real quantity has this many digits; parsing thousands of them is work for nothing.
      throw Fields.invalid(
          field, "memory '" + clip(text) + "' must be more than 0 and at most 8Gi");
    }
    BigDecimal bytes;
    try {
      BigDecimal value = new BigDecimal(text.substring(0, Math.max(0, unit)));
      long base = text.endsWith("Gi") ? 1L << 30 : 1L << 20;
      bytes = value.multiply(BigDecimal.valueOf(base));
    } catch (NumberFormatException e) {
      throw Fields.invalid(field, "memory '" + clip(text) + "' is not a quantity");
    }
    if (bytes.signum() <= 0 || bytes.compareTo(MAX_MEMORY) > 0) {
      throw Fields.invalid(
          field, "memory '" + clip(text) + "' must be more than 0 and at most 8Gi");
    }
    return bytes;
  }

  /** Checks the names of {@code configuration.secrets} against ACA's rule. */
  static void secretNames(ObjectNode configuration) {
    for (JsonNode s : configuration.path("secrets")) {
      JsonNode name = s.path("name");
      String text = name.isTextual() ? name.asText() : "";
      if (text.isEmpty()) {
        continue; // AppSecrets answers a missing name in its own words
      }
      if (text.length() > MAX_SECRET_NAME || !SECRET_NAME.matcher(text).matches()) {
        throw ArmException.of(
                ArmErrorCode.ContainerAppInvalidSecretName,
                "Secret name has an invalid value '"
                    + clip(text)
                    + "'. A value must consist of lower case alphanumeric characters, '-' or"
                    + " '.', and must start and end with an alphanumeric character. The length"
                    + " must not be more than "
                    + MAX_SECRET_NAME
                    + " characters.")
            .withTarget("properties.configuration.secrets");
      }
    }
  }

  /**
   * Traffic rules: weights 0–100 that add up to 100, each rule naming where it goes; each refusal
   * names the rule ({@code properties.configuration.ingress.traffic[1].weight}), the sum names the
   * list.
   */
  static void traffic(ObjectNode ingress) {
    long sum = 0;
    String field = "configuration.ingress.traffic";
    JsonNode traffic = ingress.path("traffic");
    for (int i = 0; i < traffic.size(); i++) {
      JsonNode rule = traffic.get(i);
      String at = AppTraffic.TARGET + "[" + i + "]";
      if (!rule.isObject()) {
        throw Fields.schema(at);
      }
      sum += weight(rule, at);
      boolean latest = rule.path("latestRevision").asBoolean(false);
      boolean named = !rule.path("revisionName").asText("").isEmpty();
      if (!latest && !named) {
        throw AppTraffic.invalid(
            at, "each traffic rule needs latestRevision true or a revisionName");
      }
    }
    if (!traffic.isEmpty() && sum != 100) {
      throw Fields.invalid(field, "the traffic weights add up to " + sum + ", not 100")
          .withTarget(AppTraffic.TARGET);
    }
  }

  /** One rule's weight, 0 when absent: a whole number from 0 to 100. */
  private static int weight(JsonNode rule, String at) {
    JsonNode w = rule.path("weight");
    if (!w.isMissingNode() && !w.isNull() && (!w.isIntegralNumber() || !w.canConvertToInt())) {
      throw Fields.schema(at + ".weight");
    }
    int weight = w.asInt(0);
    if (weight < 0 || weight > 100) {
      throw AppTraffic.invalid(
          at + ".weight", "the weight " + weight + " is not between 0 and 100");
    }
    return weight;
  }

  /** Echoes at most 100 characters of a client's value. */
  private static String clip(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }
}
