package dev.berth.api.acr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision.Reason;
import java.util.Locale;
import java.util.Objects;

/**
 * One registry as every module reads it: the properties of its ARM document ({@code
 * Microsoft.ContainerRegistry/registries}, as the control plane stores it) that decide who may do
 * what, with ACR's defaults for absent ones, and the verdicts that need nothing else. The data
 * plane, the token service and the pull diagnosis all read a registry through it. Immutable.
 *
 * @param storageKey where its repositories are stored ({@link AcrDocuments#storageKey})
 * @param loginServer such as {@code localhost:5001} or {@code myacr.registry.example}, in lower
 *     case as ACR's are; empty when the document has none (the control plane always writes one, so
 *     such a registry is served nowhere)
 * @param network its network rules
 * @param armAudienceAccepted {@code policies.azureADAuthenticationAsArmPolicy.status} is not {@code
 *     disabled}
 * @param abacMode {@code roleAssignmentMode} is {@code AbacRepositoryPermissions}
 * @see <a href="https://github.com/Azure/azure-rest-api-specs">containerregistry.json
 *     RegistryProperties</a> (docs/provider-containerregistry.md)
 */
public record Registry(
    ResourceId id,
    String storageKey,
    String loginServer,
    boolean adminUserEnabled,
    boolean anonymousPullEnabled,
    NetworkRules network,
    boolean armAudienceAccepted,
    boolean abacMode) {

  public Registry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(storageKey, "storageKey");
    Objects.requireNonNull(network, "network");
    loginServer = loginServer.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a registry's document.
   *
   * @throws IllegalStateException when its storage key could not be one Berth made
   */
  public static Registry from(ResourceId id, JsonNode document) {
    JsonNode p = document.path("properties");
    String key = document.path(AcrDocuments.HIDDEN).path(AcrDocuments.STORAGE_KEY).asText("");
    return new Registry(
        id,
        AcrDocuments.storageKey(key, id.name()),
        p.path("loginServer").asText(""),
        p.path("adminUserEnabled").asBoolean(false),
        p.path("anonymousPullEnabled").asBoolean(false),
        NetworkRules.from(p),
        !"disabled"
            .equalsIgnoreCase(
                p.path("policies")
                    .path("azureADAuthenticationAsArmPolicy")
                    .path("status")
                    .asText("enabled")),
        "AbacRepositoryPermissions".equalsIgnoreCase(p.path("roleAssignmentMode").asText("")));
  }

  /** The registry's name, as {@code az acr … -n} takes it. */
  public String name() {
    return id.name();
  }

  /** True when this registry is served at {@code server} ({@code host[:port]}, any case). */
  public boolean servesAt(String server) {
    return !loginServer.isEmpty() && loginServer.equalsIgnoreCase(server.strip());
  }

  /**
   * Whether {@code /oauth2/exchange} takes an Entra token of this audience kind: registry-audience
   * tokens always, ARM-audience ones (what Container Apps presents) only while the policy is
   * enabled.
   *
   * @see <a
   *     href="https://learn.microsoft.com/azure/container-registry/container-registry-disable-authentication-as-arm">ACR
   *     authentication-as-arm</a>
   */
  public AccessDecision exchange(boolean armAudience) {
    if (!armAudience || armAudienceAccepted) {
      return AccessDecision.granted("azureADAuthenticationAsArmPolicy");
    }
    return AccessDecision.refused(
        Reason.ARM_AUDIENCE_REFUSED,
        name(),
        "ARM-audience tokens are not accepted by registry '%s': its azureADAuthenticationAsArmPolicy is disabled. Request a token for %s, or run: az acr config authentication-as-arm update -r %s --status enabled"
            .formatted(name(), REGISTRY_AUDIENCE, name()));
  }

  /** Whether a request with no credential at all may read (pull, metadata) any repository. */
  public AccessDecision anonymousPull() {
    if (anonymousPullEnabled) {
      return AccessDecision.granted("anonymous pull");
    }
    return AccessDecision.refused(
        Reason.ANONYMOUS_PULL_DISABLED,
        name(),
        "anonymous pull is disabled on registry '%s': log in (az acr login -n %s, or docker login with a token), or enable it with 'az acr update -n %s --anonymous-pull-enabled true'"
            .formatted(name(), name(), name()));
  }

  /**
   * True when anonymous pull opens {@code action} to every caller, signed in or not: reads, which
   * it grants over any scope map or ABAC condition.
   *
   * @see <a href="https://learn.microsoft.com/azure/container-registry/anonymous-pull-access">ACR
   *     anonymous pull</a>
   */
  public boolean anonymousAllows(String action) {
    return anonymousPullEnabled && (action.equals("pull") || action.equals("metadata_read"));
  }

  /** The audience of Entra tokens for registries, as Entra spells it. */
  static final String REGISTRY_AUDIENCE = "https://containerregistry.azure.net";
}
