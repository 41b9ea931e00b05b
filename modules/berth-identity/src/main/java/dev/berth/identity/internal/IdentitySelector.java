package dev.berth.identity.internal;

import dev.berth.identity.BoundIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the identity a managed-identity token request names among the identities of the caller's
 * own app: none of the id parameters selects the system-assigned identity; {@code client_id},
 * {@code principal_id}/{@code object_id} or {@code mi_res_id} select a user-assigned one. Ids
 * compare case-insensitively (GUIDs and ARM ids both do). Stateless.
 *
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-apps/managed-identity#rest-endpoint-reference">
 *     ACA managed identity REST endpoint reference</a>
 */
public final class IdentitySelector {

  /** The chosen identity, or the error to answer with. */
  public record Result(Optional<BoundIdentity> identity, Optional<ManagedIdentityError> error) {

    static Result ok(BoundIdentity identity) {
      return new Result(Optional.of(identity), Optional.empty());
    }

    static Result failed(ManagedIdentityError error) {
      return new Result(Optional.empty(), Optional.of(error));
    }
  }

  /** One id parameter and the part of a user-assigned identity it names. */
  private record IdParameter(String name, Function<BoundIdentity, String> id) {}

  // msi_res_id is IMDS's name for mi_res_id; honouring it beats silently falling back to the
  // system identity when a client speaks the IMDS dialect.
  private static final List<IdParameter> PARAMETERS =
      List.of(
          new IdParameter("client_id", b -> b.principal().appId()),
          new IdParameter("principal_id", b -> b.principal().objectId()),
          new IdParameter("object_id", b -> b.principal().objectId()),
          new IdParameter("mi_res_id", BoundIdentity::resourceId),
          new IdParameter("msi_res_id", BoundIdentity::resourceId));

  private IdentitySelector() {}

  /** Selects from {@code identities} (the caller's app's only) by the request's query. */
  public static Result select(Map<String, List<String>> query, List<BoundIdentity> identities) {
    List<String> given = new ArrayList<>();
    IdParameter parameter = null;
    String value = null;
    for (var e : query.entrySet()) {
      for (IdParameter p : PARAMETERS) {
        if (p.name().equalsIgnoreCase(e.getKey())) {
          for (String v : e.getValue()) {
            given.add(p.name());
            parameter = p;
            value = v;
          }
        }
      }
    }
    if (given.size() > 1) {
      return Result.failed(ManagedIdentityError.severalIds(given));
    }
    if (parameter == null) {
      return identities.stream()
          .filter(BoundIdentity::systemAssigned)
          .findFirst()
          .map(Result::ok)
          .orElseGet(() -> Result.failed(ManagedIdentityError.noSystemIdentity()));
    }
    String wanted = value.strip();
    if (wanted.isEmpty()) {
      return Result.failed(ManagedIdentityError.emptyId(parameter.name()));
    }
    String lower = wanted.toLowerCase(Locale.ROOT);
    for (BoundIdentity identity : identities) {
      String id = parameter.id().apply(identity);
      if (!identity.systemAssigned() && id != null && id.toLowerCase(Locale.ROOT).equals(lower)) {
        return Result.ok(identity);
      }
    }
    return Result.failed(ManagedIdentityError.unknownIdentity(parameter.name(), wanted));
  }
}
