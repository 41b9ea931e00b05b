package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import java.util.regex.Pattern;

/** Parsing of the scope prefix of extension routes and of GUID names. Stateless, thread-safe. */
final class Scopes {

  static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Scopes() {}

  /** The {@code scope} variable of an extension route as a resource id. */
  static ResourceId of(ArmCall call) {
    String text = call.var("scope");
    return ResourceId.tryParse(text)
        .orElseThrow(
            () ->
                ArmException.of(
                    ArmErrorCode.InvalidResourceId,
                    "The scope '" + text + "' is not a valid resource id."));
  }

  static boolean isGuid(String s) {
    return s != null && GUID.matcher(s).matches();
  }

  /** The role definition id in the form ARM returns for a scope: subscription-scoped or global. */
  static String roleDefinitionId(ResourceId scope, String guid) {
    return scope
        .subscriptionId()
        .map(
            s ->
                "/subscriptions/"
                    + s
                    + "/providers/Microsoft.Authorization/roleDefinitions/"
                    + guid)
        .orElse("/providers/Microsoft.Authorization/roleDefinitions/" + guid);
  }
}
