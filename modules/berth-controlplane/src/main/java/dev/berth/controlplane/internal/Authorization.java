package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrors;
import dev.berth.identity.Authorizer;
import java.util.Optional;

/**
 * Checks the route's declared ARM action at its scope with the {@link Authorizer}; a denial is
 * ARM's 403 {@code AuthorizationFailed}, except for a list whose caller holds a role inside the
 * scope, which goes on filtered to the items the caller may read ({@link Listing}). Thread-safe.
 */
public final class Authorization implements Step {

  private final Authorizer authorizer;

  public Authorization(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  @Override
  public void apply(ArmCall call) {
    if (call.route().anonymous()) {
      return;
    }
    Optional<Permission> needed = call.route().permission().apply(call);
    if (needed.isEmpty()) {
      return;
    }
    Permission p = needed.get();
    if (authorizer.isAllowed(call.principal(), p.action(), p.scope())) {
      return;
    }
    // As ARM: a Reader of one group who lists the subscription's apps sees that group's apps.
    if (p.listing() && authorizer.hasAssignmentWithin(call.principal(), p.scope())) {
      call.onlyReadable(id -> authorizer.isAllowed(call.principal(), p.action(), id));
      return;
    }
    throw ArmErrors.authorizationFailed(call.principal().objectId(), p.action(), p.scope());
  }
}
