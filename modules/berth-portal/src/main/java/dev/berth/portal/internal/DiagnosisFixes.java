package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmCallException;
import dev.berth.client.ArmClient;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one-click fixes of a pull diagnosis, each one API write made with the person's own token:
 * assign {@code AcrPull}, enable the registry's ARM-token policy, turn on the system identity,
 * attach a user-assigned identity. The API's RBAC decides each; a refusal reaches the page in the
 * API's words. Stateless.
 */
final class DiagnosisFixes {

  /** AcrPull's built-in role definition id. */
  static final String ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGISTRY =
      Pattern.compile(
          "/subscriptions/[^/?#]+/resourceGroups/[^/?#]+/providers/Microsoft\\.ContainerRegistry/registries/[^/?#]+",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern IDENTITY =
      Pattern.compile(
          "/subscriptions/[^/?#]+/resourceGroups/[^/?#]+/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/[^/?#]+",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private DiagnosisFixes() {}

  /** Makes the fix {@code kind} on {@code target} (and {@code principal}, for a role). */
  static void apply(ArmClient arm, AppView app, String kind, String target, String principal) {
    switch (kind) {
      case "arm-policy" -> enableArmTokens(arm, checked(REGISTRY, target, "target"));
      case "acr-pull" ->
          assignAcrPull(
              arm, checked(REGISTRY, target, "target"), checked(GUID, principal, "principal"));
      case "system-identity" -> attach(arm, app, true, null);
      case "attach-identity" -> attach(arm, app, false, checked(IDENTITY, target, "target"));
      default -> throw invalid("kind", kind);
    }
  }

  /** PATCH the registry's {@code azureADAuthenticationAsArmPolicy} to enabled. */
  static void enableArmTokens(ArmClient arm, String registryId) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("properties")
        .putObject("policies")
        .putObject("azureADAuthenticationAsArmPolicy")
        .put("status", "enabled");
    arm.patch(registryId + "?" + Diagnoses.REGISTRY_API, body);
  }

  /** PUT a role assignment of AcrPull to {@code principalId} at the registry. */
  static void assignAcrPull(ArmClient arm, String registryId, String principalId) {
    String subscription = registryId.split("/")[2];
    ObjectNode body = JSON.createObjectNode();
    body.putObject("properties")
        .put(
            "roleDefinitionId",
            "/subscriptions/"
                + subscription
                + "/providers/Microsoft.Authorization/roleDefinitions/"
                + ACR_PULL)
        .put("principalId", principalId)
        .put("principalType", "ServicePrincipal");
    arm.put(
        registryId
            + "/providers/Microsoft.Authorization/roleAssignments/"
            + UUID.randomUUID()
            + "?api-version=2022-04-01",
        body);
  }

  /**
   * PATCH the app's identity: the system identity on, or {@code userAssigned} attached; what the
   * app has already stays (a merge patch keeps the other user-assigned identities).
   */
  static void attach(ArmClient arm, AppView app, boolean system, String userAssigned) {
    boolean withSystem = system || app.hasSystemIdentity();
    boolean withUser = userAssigned != null || !app.userAssigned().isEmpty();
    ObjectNode body = JSON.createObjectNode();
    ObjectNode identity = body.putObject("identity");
    identity.put(
        "type",
        withSystem && withUser
            ? "SystemAssigned,UserAssigned"
            : withSystem ? "SystemAssigned" : "UserAssigned");
    if (userAssigned != null) {
      identity.putObject("userAssignedIdentities").putObject(userAssigned);
    }
    arm.patch(app.armId() + "?" + AppView.API, body);
  }

  private static String checked(Pattern pattern, String value, String field) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw invalid(field, value);
    }
    return value;
  }

  private static ArmCallException invalid(String field, String value) {
    return new ArmCallException(
        400, "InvalidParameter", "The form's " + field + " '" + value + "' is not valid here.");
  }
}
