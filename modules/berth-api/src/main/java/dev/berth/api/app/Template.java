package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A read-only view of a revision template ({@code properties.template} of an app or a revision):
 * its containers, its volumes, its scale rule and the grace a stopping replica gets. Immutable when
 * its node is not changed.
 *
 * @param json the template as stored
 */
public record Template(JsonNode json) {

  /**
   * The scale settings of {@code template.scale}, with Container Apps' defaults for what is absent:
   * replicas 0 to 10, a {@code cooldownPeriod} of 300 s and a {@code pollingInterval} of 30 s, and
   * 10 concurrent requests per replica for the HTTP rule (ACA applies that HTTP rule when the
   * template names none).
   *
   * @param minReplicas {@code scale.minReplicas}
   * @param maxReplicas {@code scale.maxReplicas}
   * @param cooldownPeriod {@code scale.cooldownPeriod}: how long without requests before the last
   *     replica goes
   * @param pollingInterval {@code scale.pollingInterval}: how often the scale is decided
   * @param concurrentRequests the first HTTP rule's {@code metadata.concurrentRequests}, which ACA
   *     stores as a string
   * @param unevaluatedRules the rules of other kinds (queue, TCP, KEDA scalers), which Berth stores
   *     but cannot evaluate, each as {@code azureQueue rule 'orders'}
   * @see <a href="https://learn.microsoft.com/azure/container-apps/scale-app">Scaling in Azure
   *     Container Apps</a>
   * @see <a
   *     href="https://github.com/Azure/azure-rest-api-specs/tree/main/specification/app/resource-manager/Microsoft.App">azure-rest-api-specs,
   *     Microsoft.App: {@code Scale}, {@code ScaleRule}, {@code HttpScaleRule}</a>
   */
  public record Scale(
      int minReplicas,
      int maxReplicas,
      Duration cooldownPeriod,
      Duration pollingInterval,
      int concurrentRequests,
      List<String> unevaluatedRules) {

    public Scale {
      unevaluatedRules = List.copyOf(unevaluatedRules);
    }

    /** Settings whose rules Berth evaluates all (HTTP rules, or none). */
    public Scale(
        int minReplicas,
        int maxReplicas,
        Duration cooldownPeriod,
        Duration pollingInterval,
        int concurrentRequests) {
      this(
          minReplicas, maxReplicas, cooldownPeriod, pollingInterval, concurrentRequests, List.of());
    }

    public static final int DEFAULT_MIN_REPLICAS = 0;
    public static final int DEFAULT_MAX_REPLICAS = 10;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(300);
    public static final Duration DEFAULT_POLLING = Duration.ofSeconds(30);
    public static final int DEFAULT_CONCURRENT_REQUESTS = 10;

    /** Replica bounds with every other setting at its default. */
    public Scale(int minReplicas, int maxReplicas) {
      this(
          minReplicas, maxReplicas, DEFAULT_COOLDOWN, DEFAULT_POLLING, DEFAULT_CONCURRENT_REQUESTS);
    }

    /** Reads {@code scale}; a missing or mistyped field reads as its default. */
    static Scale of(JsonNode scale) {
      return new Scale(
          whole(scale.path("minReplicas"), DEFAULT_MIN_REPLICAS, 0),
          whole(scale.path("maxReplicas"), DEFAULT_MAX_REPLICAS, 0),
          Duration.ofSeconds(
              whole(scale.path("cooldownPeriod"), (int) DEFAULT_COOLDOWN.toSeconds(), 0)),
          Duration.ofSeconds(
              whole(scale.path("pollingInterval"), (int) DEFAULT_POLLING.toSeconds(), 0)),
          concurrentRequests(scale.path("rules")),
          unevaluated(scale.path("rules")));
    }

    /**
     * The rules Berth does not evaluate, as {@code azureQueue rule 'orders'}: every kind but HTTP
     * ({@code tcp}, {@code azureQueue}, a {@code custom} KEDA scaler of another type).
     */
    private static List<String> unevaluated(JsonNode rules) {
      List<String> found = new ArrayList<>();
      for (JsonNode rule : rules) {
        if (isHttp(rule)) {
          continue;
        }
        String kind =
            Stream.of("azureQueue", "tcp")
                .filter(k -> rule.path(k).isObject())
                .findFirst()
                .orElseGet(
                    () ->
                        rule.path("custom").isObject()
                            ? "custom (" + rule.path("custom").path("type").asText("?") + ")"
                            : "unknown");
        found.add(kind + " rule '" + rule.path("name").asText("") + "'");
      }
      return found;
    }

    private static boolean isHttp(JsonNode rule) {
      return rule.path("http").isObject()
          || "http".equalsIgnoreCase(rule.path("custom").path("type").asText());
    }

    /**
     * The first HTTP rule's target: an {@code http} rule, or a {@code custom} one of type {@code
     * http} (the form ACA's own example PUT sends and normalises).
     */
    private static int concurrentRequests(JsonNode rules) {
      for (JsonNode rule : rules) {
        JsonNode http = rule.path("http");
        if (!http.isObject()
            && "http".equalsIgnoreCase(rule.path("custom").path("type").asText())) {
          http = rule.path("custom");
        }
        if (http.isObject()) {
          return whole(
              http.path("metadata").path("concurrentRequests"), DEFAULT_CONCURRENT_REQUESTS, 1);
        }
      }
      return DEFAULT_CONCURRENT_REQUESTS;
    }

    /** A whole number given as a JSON number or a string of digits, at least {@code least}. */
    private static int whole(JsonNode value, int fallback, int least) {
      int n;
      if (value.isIntegralNumber() && value.canConvertToInt()) {
        n = value.intValue();
      } else if (value.isTextual() && value.asText().strip().matches("\\d{1,9}")) {
        n = Integer.parseInt(value.asText().strip());
      } else {
        return fallback;
      }
      return n >= least ? n : fallback;
    }
  }

  /**
   * One {@code volumes[]} entry, as the control plane admits it: an {@code EmptyDir} (the default),
   * or a {@code Secret} volume whose files are the app's secrets.
   *
   * @param secrets the files of a {@code Secret} volume: file name ({@code path}, the secret's name
   *     when absent or empty) → {@code secretRef}; empty for one that names none, which holds every
   *     secret of the app under its own name
   */
  public record Volume(String name, String storageType, Map<String, String> secrets) {

    public static final String EMPTY_DIR = "EmptyDir";
    public static final String SECRET = "Secret";

    public Volume {
      secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    public boolean isSecret() {
      return storageType.equalsIgnoreCase(SECRET);
    }

    public boolean isEmptyDir() {
      return storageType.equalsIgnoreCase(EMPTY_DIR);
    }
  }

  public List<Volume> volumes() {
    List<Volume> out = new ArrayList<>();
    for (JsonNode v : json.path("volumes")) {
      Map<String, String> secrets = new LinkedHashMap<>();
      for (JsonNode s : v.path("secrets")) {
        String ref = s.path("secretRef").asText("");
        String path = s.path("path").asText("");
        secrets.put(path.isEmpty() ? ref : path, ref);
      }
      out.add(
          new Volume(
              v.path("name").asText(""), v.path("storageType").asText(Volume.EMPTY_DIR), secrets));
    }
    return out;
  }

  public List<Container> containers() {
    List<Container> out = new ArrayList<>();
    json.path("containers").forEach(c -> out.add(new Container(c)));
    return out;
  }

  public Scale scale() {
    return Scale.of(json.path("scale"));
  }

  /** {@code terminationGracePeriodSeconds}, 30 s when not given (Kubernetes' default). */
  public Duration terminationGracePeriod() {
    return Duration.ofSeconds(json.path("terminationGracePeriodSeconds").asLong(30));
  }
}
