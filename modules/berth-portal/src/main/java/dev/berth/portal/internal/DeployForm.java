package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the Edit and deploy form holds: the container's image (a Berth registry's repository and
 * tag, or any reference), how the app authenticates to its registry, resources, environment
 * variables and an HTTP liveness probe. Read from the app (to show it) or from the posted form (to
 * save it), and turned into the merge patch that makes a new revision. Immutable.
 */
public record DeployForm(
    String container,
    String source,
    String registryId,
    String repository,
    String tag,
    String image,
    String auth,
    String identity,
    String username,
    String passwordSecret,
    String cpu,
    String memory,
    List<Env> env,
    String livenessPath,
    String livenessPort) {

  /** One environment variable: a value or a secret reference. */
  public record Env(String name, String value, String secretRef) {}

  public static final String BERTH = "berth";
  public static final String OTHER = "other";
  public static final String IDENTITY = "identity";
  public static final String ADMIN = "admin";
  public static final String ANONYMOUS = "anonymous";

  private static final ObjectMapper JSON = new ObjectMapper();

  public DeployForm {
    env = List.copyOf(env);
  }

  /** The form as the app is now: its first container and its registries[] entry. */
  static DeployForm of(AppView app, List<RegistryOption> registries) {
    JsonNode c = app.properties().at("/template/containers/0");
    String image = c.path("image").asText("");
    String server = ImageRef.server(image);
    Optional<RegistryOption> berth =
        registries.stream().filter(r -> r.loginServer().equalsIgnoreCase(server)).findFirst();
    Optional<JsonNode> entry = app.registryEntry(server);
    String auth = ANONYMOUS;
    if (entry.isPresent() && !entry.get().path("identity").asText("").isEmpty()) {
      auth = IDENTITY;
    } else if (entry.isPresent() && !entry.get().path("username").asText("").isEmpty()) {
      auth = ADMIN;
    }
    List<Env> env = new ArrayList<>();
    for (JsonNode e : c.path("env")) {
      env.add(
          new Env(
              e.path("name").asText(""),
              e.path("value").asText(""),
              e.path("secretRef").asText("")));
    }
    String livenessPath = "";
    String livenessPort = "";
    for (JsonNode p : c.path("probes")) {
      if (p.path("type").asText().equalsIgnoreCase("Liveness") && p.has("httpGet")) {
        livenessPath = p.at("/httpGet/path").asText("");
        livenessPort = p.at("/httpGet/port").asText("");
      }
    }
    return new DeployForm(
        c.path("name").asText(""),
        berth.isPresent() || image.isEmpty() ? BERTH : OTHER,
        berth.map(RegistryOption::id).orElse(""),
        berth.isPresent() ? ImageRef.repository(image) : "",
        berth.isPresent() ? ImageRef.tag(image) : "",
        image,
        auth,
        entry.map(e -> e.path("identity").asText("")).orElse(""),
        entry.map(e -> e.path("username").asText("")).orElse(""),
        entry.map(e -> e.path("passwordSecretRef").asText("")).orElse(""),
        c.at("/resources/cpu").asText("0.5"),
        c.at("/resources/memory").asText("1Gi"),
        env,
        livenessPath,
        livenessPort);
  }

  /** The form as posted. */
  static DeployForm of(Form f) {
    List<Env> env = new ArrayList<>();
    List<String> names = f.all("envName");
    List<String> values = f.all("envValue");
    List<String> secrets = f.all("envSecret");
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).strip();
      if (!name.isEmpty()) {
        env.add(new Env(name, at(values, i), at(secrets, i)));
      }
    }
    return new DeployForm(
        f.get("container").orElse(""),
        f.get("source").orElse(BERTH),
        f.get("registry").orElse(""),
        f.get("repository").orElse("").strip(),
        f.get("tag").orElse("").strip(),
        f.get("image").orElse("").strip(),
        f.get("auth").orElse(ANONYMOUS),
        f.get("identity").orElse(""),
        f.get("username").orElse("").strip(),
        f.get("passwordSecret").orElse(""),
        f.get("cpu").orElse("0.5").strip(),
        f.get("memory").orElse("1Gi").strip(),
        env,
        f.get("livenessPath").orElse("").strip(),
        f.get("livenessPort").orElse("").strip());
  }

  private static String at(List<String> list, int i) {
    return i < list.size() ? list.get(i).strip() : "";
  }

  /** The image reference to deploy: the Berth registry's repository and tag, or as typed. */
  String imageFor(String loginServer) {
    return source.equals(BERTH)
        ? loginServer + "/" + repository + ":" + (tag.isEmpty() ? "latest" : tag)
        : image;
  }

  /** Whether the save pulls from a Berth registry with a managed identity (the seed's path). */
  boolean pullsWithIdentity() {
    return source.equals(BERTH) && auth.equals(IDENTITY) && !registryId.isEmpty();
  }

  /**
   * The merge patch that saves the form: the container replaced in the template (so a new revision
   * is made) and the registries[] entry of the image's server set as chosen.
   */
  ObjectNode patch(AppView app, String imageRef) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode props = body.putObject("properties");
    ArrayNode containers = props.putObject("template").putArray("containers");
    for (JsonNode c : app.properties().at("/template/containers")) {
      if (c.path("name").asText().equals(container)) {
        containers.add(container(c.deepCopy(), imageRef));
      } else {
        containers.add(c);
      }
    }
    String server = ImageRef.server(imageRef);
    ArrayNode registries = props.putObject("configuration").putArray("registries");
    for (JsonNode r : app.properties().at("/configuration/registries")) {
      if (!r.path("server").asText().equalsIgnoreCase(server)) {
        registries.add(r);
      }
    }
    if (auth.equals(IDENTITY)) {
      registries.addObject().put("server", server).put("identity", identity);
    } else if (auth.equals(ADMIN)) {
      registries
          .addObject()
          .put("server", server)
          .put("username", username)
          .put("passwordSecretRef", passwordSecret);
    }
    return body;
  }

  private ObjectNode container(ObjectNode c, String imageRef) {
    c.put("image", imageRef);
    ObjectNode resources = c.putObject("resources");
    try {
      resources.put("cpu", new java.math.BigDecimal(cpu).doubleValue());
    } catch (NumberFormatException e) {
      resources.put("cpu", cpu); // the API refuses it in its own words
    }
    resources.put("memory", memory);
    ArrayNode envs = c.putArray("env");
    for (Env e : env) {
      ObjectNode o = envs.addObject().put("name", e.name());
      if (!e.secretRef().isEmpty()) {
        o.put("secretRef", e.secretRef());
      } else {
        o.put("value", e.value());
      }
    }
    ArrayNode probes = JSON.createArrayNode();
    for (JsonNode p : c.path("probes")) {
      if (!p.path("type").asText().equalsIgnoreCase("Liveness")) {
        probes.add(p);
      }
    }
    if (!livenessPath.isEmpty()) {
      ObjectNode http = probes.addObject().put("type", "Liveness").putObject("httpGet");
      http.put("path", livenessPath);
      try {
        http.put("port", Integer.parseInt(livenessPort.isEmpty() ? "80" : livenessPort));
      } catch (NumberFormatException e) {
        http.put("port", livenessPort);
      }
    }
    c.set("probes", probes);
    return c;
  }

  /** A registry of the subscription, as the pickers offer it. */
  public record RegistryOption(String id, String name, String loginServer) {}
}
