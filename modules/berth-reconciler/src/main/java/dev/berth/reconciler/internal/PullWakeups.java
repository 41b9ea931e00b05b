package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.app.AppTypes;
import java.util.Locale;
import java.util.Optional;

/**
 * Which changes concern a failed pull, so that the revision is tried again at once instead of after
 * its back-off (docs/reconciler.md, "Healing at once"): its app's registries, secrets or
 * identities; the registry that serves the image (its policies, network rules, tokens, scope maps,
 * a push); a role assignment whose scope holds the registry; a user-assigned identity the app
 * names; the app's environment. Pure.
 */
final class PullWakeups {

  private static final String ROLE_ASSIGNMENTS = "microsoft.authorization/roleassignments";
  private static final String IDENTITIES = "microsoft.managedidentity/userassignedidentities";
  private static final String REGISTRIES = AcrDocuments.REGISTRY_TYPE.toLowerCase(Locale.ROOT);

  private PullWakeups() {}

  /**
   * @param failure the revision's last failed pull
   * @param changed the document that was written or deleted
   * @param appNow the app's document as it is now, when {@code changed} is the app
   */
  static boolean concerns(PullFailure failure, ResourceId changed, Optional<JsonNode> appNow) {
    String type = changed.type().toLowerCase(Locale.ROOT);
    if (changed.key().equals(failure.app().key())) {
      // Its own status writes must not wake it: only a change of what a pull reads.
      return appNow.map(a -> !PullFailure.appInputs(a).equals(failure.appInputs())).orElse(false);
    }
    if (type.startsWith(REGISTRIES)) {
      // A registry created since (the image's server did not exist) or the image's registry.
      return failure.registry().map(r -> r.contains(changed)).orElse(type.equals(REGISTRIES));
    }
    if (type.equals(ROLE_ASSIGNMENTS)) {
      Optional<ResourceId> scope = changed.parent();
      return failure.registry().isPresent()
          && scope.map(s -> s.contains(failure.registry().get())).orElse(false);
    }
    if (type.equals(IDENTITIES)) {
      return failure.identities().contains(changed.key());
    }
    if (type.equalsIgnoreCase(AppTypes.MANAGED_ENVIRONMENT)) {
      return failure.environment().map(e -> e.key().equals(changed.key())).orElse(false);
    }
    return false;
  }
}
