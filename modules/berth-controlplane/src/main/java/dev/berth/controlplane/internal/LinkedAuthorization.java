package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.LinkedResource;
import dev.berth.controlplane.ResourceType;
import dev.berth.identity.Authorizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * ARM's linked access check on PUT and PATCH (and on the actions whose body links resources, {@link
 * #checkAction}): every resource the written document links (its user-assigned identities, and what
 * the type's {@link dev.berth.controlplane.ResourceHooks#links} names) and the stored document did
 * not, must be usable by the caller — its role assignments must allow the link's action at the
 * linked resource — or the write is refused with 403 {@code LinkedAuthorizationFailed} naming each
 * denied field and scope. Links the stored document already has are not checked again: whoever may
 * write the resource already controls what runs with them (a PATCH that leaves them out of its
 * body, a new image under the same tag and a restart), so a second check would only break a
 * co-worker's GET-modify-PUT. Thread-safe.
 */
final class LinkedAuthorization {

  private final Authorizer authorizer;

  LinkedAuthorization(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  /**
   * Checks the links {@code doc} adds to {@code current}.
   *
   * @param strict whether a linked value that is not a resource id is refused; the check before
   *     {@code prepare} skips those (prepare answers them with its own error), the check of the
   *     document about to be stored refuses them
   */
  void check(
      ArmCall call,
      ResourceType t,
      ResourceId id,
      JsonNode doc,
      Optional<? extends JsonNode> current,
      boolean strict) {
    Set<String> before = new HashSet<>();
    current.ifPresent(c -> links(t, id, c).forEach(l -> before.add(key(l))));
    List<LinkedResource> denied = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (LinkedResource link : links(t, id, doc)) {
      if (before.contains(key(link)) || !seen.add(key(link))) {
        continue;
      }
      Optional<ResourceId> target = ResourceId.tryParse(link.target().strip());
      if (target.isEmpty()) {
        if (strict) {
          denied.add(link);
        }
      } else if (!authorizer.isAllowed(call.principal(), link.action(), target.get())) {
        denied.add(link);
      }
    }
    if (!denied.isEmpty()) {
      throw refusal(call, t.type() + "/write", id, denied);
    }
  }

  /**
   * Checks the links of {@code POST {id}/{action}}'s body ({@link
   * dev.berth.controlplane.ResourceHooks#actionLinks}); every one is checked, and one that is not a
   * resource id is refused.
   */
  void checkAction(ArmCall call, ResourceType t, ResourceId id, String action, JsonNode body) {
    List<LinkedResource> denied = new ArrayList<>();
    for (LinkedResource link : t.hooks().actionLinks(action, id, body)) {
      Optional<ResourceId> target = ResourceId.tryParse(link.target().strip());
      if (target.isEmpty()
          || !authorizer.isAllowed(call.principal(), link.action(), target.get())) {
        denied.add(link);
      }
    }
    if (!denied.isEmpty()) {
      throw refusal(call, t.type() + "/" + action + "/action", id, denied);
    }
  }

  private static List<LinkedResource> links(ResourceType t, ResourceId id, JsonNode doc) {
    List<LinkedResource> all = new ArrayList<>(LinkedResource.userAssignedIdentities(doc));
    all.addAll(t.hooks().links(id, doc));
    return all;
  }

  /** The same link whatever the casing of its id: ARM ids compare case-insensitively. */
  private static String key(LinkedResource link) {
    String target =
        ResourceId.tryParse(link.target().strip()).map(ResourceId::key).orElse(link.target());
    return link.action().toLowerCase(Locale.ROOT) + " " + target;
  }

  /** {@code performed}: the action the caller does hold, such as {@code …/containerApps/write}. */
  private static ArmException refusal(
      ArmCall call, String performed, ResourceId id, List<LinkedResource> denied) {
    String oid = call.principal().objectId();
    String write = performed;
    List<ArmException.Detail> details = new ArrayList<>();
    for (LinkedResource l : denied) {
      details.add(
          new ArmException.Detail(
              "LinkedAuthorizationFailed",
              ArmErrors.linkedAuthorizationFailed(
                      oid, write, id, List.of(l.action()), List.of(l.target()))
                  .getMessage(),
              l.field()));
    }
    return ArmErrors.linkedAuthorizationFailed(
            oid,
            write,
            id,
            denied.stream().map(LinkedResource::action).toList(),
            denied.stream().map(LinkedResource::target).toList())
        .withTarget(denied.get(0).field())
        .withDetails(details);
  }
}
