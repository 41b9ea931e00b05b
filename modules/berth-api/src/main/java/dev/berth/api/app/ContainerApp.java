package dev.berth.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A read-only view of a container app document ({@code Microsoft.App/containerApps}, as the control
 * plane stores it: docs/provider-app.md, "Store contract"): its environment, identities, registry
 * credentials, secrets (names and sealed values: opening them is the reader's business, with the
 * sealer), ingress, revision mode and template. Immutable when its node is not changed.
 *
 * @param id the app's resource id
 * @param body the whole stored document
 */
public record ContainerApp(ResourceId id, JsonNode body) {

  /** {@code configuration.activeRevisionsMode}. */
  public enum RevisionMode {
    Single,
    Multiple
  }

  /**
   * One {@code configuration.secrets[]} entry.
   *
   * @param value the stored value, sealed ({@code sealed:v1:…}); empty for a Key Vault reference
   */
  public record Secret(
      String name,
      Optional<String> value,
      Optional<String> identity,
      Optional<String> keyVaultUrl) {}

  /**
   * One {@code configuration.registries[]} entry: how replicas pull from {@code server}.
   *
   * @param identity {@code system} or a user-assigned identity's resource id
   * @param json the entry as stored (what the pull diagnosis is handed)
   */
  public record RegistryCredentials(
      String server,
      Optional<String> username,
      Optional<String> passwordSecretRef,
      Optional<String> identity,
      JsonNode json) {

    /** Whether this entry is for {@code server}: {@code localhost} and 127.0.0.1 are one host. */
    public boolean serves(String server) {
      return normalise(this.server).equals(normalise(server));
    }

    private static String normalise(String server) {
      String s = server.toLowerCase(Locale.ROOT).strip();
      if (s.startsWith("https://")) {
        s = s.substring("https://".length());
      }
      if (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      return s.startsWith("localhost:") ? "127.0.0.1:" + s.substring("localhost:".length()) : s;
    }
  }

  /**
   * {@code configuration.ingress}.
   *
   * @param targetPort the port the app listens on; 0 when not given
   */
  public record Ingress(
      boolean external, int targetPort, String transport, Optional<String> fqdn) {}

  public static ContainerApp of(ResourceId id, JsonNode body) {
    return new ContainerApp(id, body);
  }

  public String name() {
    return id.name();
  }

  /** The environment: {@code environmentId}, else (2022-03-01) {@code managedEnvironmentId}. */
  public Optional<ResourceId> environmentId() {
    JsonNode p = properties();
    return Nodes.text(p, "environmentId")
        .or(() -> Nodes.text(p, "managedEnvironmentId"))
        .flatMap(ResourceId::tryParse);
  }

  /** Whether either environment field names {@code environment} (case-insensitive). */
  public boolean inEnvironment(ResourceId environment) {
    return List.of("environmentId", "managedEnvironmentId").stream()
        .anyMatch(f -> environment.value().equalsIgnoreCase(properties().path(f).asText()));
  }

  public ManagedServiceIdentity identity() {
    return ManagedServiceIdentity.of(body);
  }

  public RevisionMode activeRevisionsMode() {
    // Single is the default; the control plane stores nothing else but these two words.
    return Nodes.text(configuration(), "activeRevisionsMode", "Single").equalsIgnoreCase("single")
        ? RevisionMode.Single
        : RevisionMode.Multiple;
  }

  public List<Secret> secrets() {
    List<Secret> out = new ArrayList<>();
    for (JsonNode s : configuration().path("secrets")) {
      out.add(
          new Secret(
              s.path("name").asText(),
              Optional.ofNullable(s.path("value").textValue()),
              Nodes.text(s, "identity"),
              Nodes.text(s, "keyVaultUrl")));
    }
    return out;
  }

  /** The secret {@code name}; names compare case-insensitively, as Container Apps' do. */
  public Optional<Secret> secret(String name) {
    return secrets().stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
  }

  public List<RegistryCredentials> registries() {
    List<RegistryCredentials> out = new ArrayList<>();
    for (JsonNode r : configuration().path("registries")) {
      out.add(
          new RegistryCredentials(
              r.path("server").asText(),
              Nodes.text(r, "username"),
              Nodes.text(r, "passwordSecretRef"),
              Nodes.text(r, "identity"),
              r));
    }
    return out;
  }

  /** The {@code registries[]} entry for the image registry {@code server}, if any. */
  public Optional<RegistryCredentials> registry(String server) {
    return registries().stream().filter(r -> r.serves(server)).findFirst();
  }

  public Optional<Ingress> ingress() {
    JsonNode ingress = configuration().path("ingress");
    if (!ingress.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Ingress(
            ingress.path("external").asBoolean(false),
            ingress.path("targetPort").asInt(0),
            Nodes.text(ingress, "transport", "auto"),
            Nodes.text(ingress, "fqdn")));
  }

  /** Who may call the app and how the ingress answers them ({@link IngressRules#NONE} without). */
  public IngressRules ingressRules() {
    return IngressRules.of(configuration().path("ingress"));
  }

  /** {@code configuration.ingress.allowInsecure}: false (the default) redirects HTTP to HTTPS. */
  public boolean allowInsecure() {
    return configuration().path("ingress").path("allowInsecure").asBoolean(false);
  }

  /**
   * {@code configuration.ingress.traffic[]} as stored (the control plane fills {@code [{weight:100,
   * latestRevision:true}]} when ingress has none); empty without ingress.
   */
  public List<TrafficRule> traffic() {
    return TrafficRule.listOf(configuration().path("ingress").path("traffic"));
  }

  public Optional<String> latestRevisionName() {
    return Nodes.text(properties(), "latestRevisionName");
  }

  /** The revision the running write waits for (hidden {@code berth.awaitRevision}). */
  public Optional<String> awaitedRevision() {
    return Nodes.text(body.path("berth"), "awaitRevision");
  }

  /** The app's template: the next revision's. */
  public Template template() {
    return new Template(properties().path("template"));
  }

  private JsonNode properties() {
    return body.path("properties");
  }

  private JsonNode configuration() {
    return properties().path("configuration");
  }
}
