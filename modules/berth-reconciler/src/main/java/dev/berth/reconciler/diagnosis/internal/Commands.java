package dev.berth.reconciler.diagnosis.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.acr.Registry;

/**
 * The Berth CLI commands a finding tells the user to run, spelled as {@code az} spells them
 * (docs/cli.md). Values with spaces are double-quoted. Stateless.
 *
 * @see <a href="https://learn.microsoft.com/cli/azure/containerapp">az containerapp</a>
 * @see <a href="https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull">Azure
 *     Container Apps: image pull with managed identity</a>
 */
final class Commands {

  /** The role that allows pull in legacy mode. */
  static final String ACR_PULL = "AcrPull";

  /**
   * The role that allows pull in ABAC mode (<a
   * href="https://learn.microsoft.com/azure/container-registry/container-registry-rbac-abac-repository-permissions">ACR
   * ABAC repository permissions</a>).
   */
  static final String REPOSITORY_READER = "Container Registry Repository Reader";

  private Commands() {}

  static String registrySetIdentity(AppFacts app, String server, String identity) {
    return app(app, "registry set") + " --server " + server + " --identity " + identity;
  }

  static String registrySetPassword(AppFacts app, String server, String username) {
    return app(app, "registry set")
        + " --server "
        + server
        + " --username "
        + username
        + " --password <password>";
  }

  static String assignSystemIdentity(AppFacts app) {
    return app(app, "identity assign") + " --system-assigned";
  }

  static String assignUserIdentity(AppFacts app, String identityId) {
    return app(app, "identity assign") + " --user-assigned " + identityId;
  }

  static String createIdentity(ResourceId identity) {
    return "berth identity create -n "
        + identity.name()
        + " -g "
        + identity.resourceGroupName().orElse("<group>");
  }

  static String secretSet(AppFacts app, String secret, String value) {
    return app(app, "secret set") + " --secrets " + secret + "=" + value;
  }

  /**
   * Grants pull on the registry: AcrPull in legacy mode; in ABAC mode Container Registry Repository
   * Reader limited to {@code repository} by a condition (ACR ABAC repository permissions).
   */
  static String roleAssign(String principalId, Registry registry, String repository) {
    String command =
        "berth role assignment create --assignee "
            + principalId
            + " --role "
            + quote(registry.abacMode() ? REPOSITORY_READER : ACR_PULL)
            + " --scope "
            + registry.id();
    if (!registry.abacMode()) {
      return command;
    }
    return command
        + " --condition \"@Request[Microsoft.ContainerRegistry/registries/repositories:name]"
        + " StringEqualsIgnoreCase '"
        + repository
        + "'\" --condition-version 2.0";
  }

  /** Removes {@code role}'s assignment to {@code principalId} at the registry's scope. */
  static String roleUnassign(String principalId, String role, Registry registry) {
    return "berth role assignment delete --assignee "
        + principalId
        + " --role "
        + quote(role)
        + " --scope "
        + registry.id();
  }

  static String armAudienceEnable(Registry registry) {
    return "berth acr config authentication-as-arm update -r "
        + registry.name()
        + " --status enabled";
  }

  static String publicNetworkEnable(Registry registry) {
    return acrUpdate(registry) + " --public-network-enabled true";
  }

  static String defaultActionAllow(Registry registry) {
    return acrUpdate(registry) + " --default-action Allow";
  }

  static String networkRuleAdd(Registry registry, String address) {
    return "berth acr network-rule add -n " + registry.name() + " --ip-address " + address;
  }

  static String adminEnable(Registry registry) {
    return acrUpdate(registry) + " --admin-enabled true";
  }

  static String credentialShow(Registry registry) {
    return "berth acr credential show -n " + registry.name();
  }

  static String tokenEnable(Registry registry, String token) {
    return "berth acr token update -r " + registry.name() + " -n " + token + " --status enabled";
  }

  static String scopeMapAddRepository(Registry registry, String scopeMap, String repository) {
    return "berth acr scope-map update -r "
        + registry.name()
        + " -n "
        + scopeMap
        + " --add-repository "
        + repository
        + " content/read";
  }

  static String tokenPasswordGenerate(Registry registry, String token) {
    return "berth acr token credential generate -r " + registry.name() + " -n " + token;
  }

  /** Deploys {@code image} in the app's container {@code container}: a new revision. */
  static String updateImage(AppFacts app, String container, String image) {
    return app(app, "update") + " --container-name " + container + " --image " + image;
  }

  static String showTags(Registry registry, String repository) {
    return "berth acr repository show-tags -n " + registry.name() + " --repository " + repository;
  }

  static String repositoryList(Registry registry) {
    return "berth acr repository list -n " + registry.name();
  }

  private static String acrUpdate(Registry registry) {
    return "berth acr update -n " + registry.name();
  }

  private static String app(AppFacts app, String command) {
    return "berth containerapp " + command + " -n " + app.name() + " -g " + app.resourceGroup();
  }

  private static String quote(String value) {
    return value.contains(" ") ? "\"" + value + "\"" : value;
  }
}
