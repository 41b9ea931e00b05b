package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrors;
import dev.berth.identity.Authorizer;
import java.util.Optional;

/**
 * Checks the route's declared ARM action at its scope with the {@link Authorizer}; a denial is
 * ARM's 403 {@code AuthorizationFailed}. Thread-safe.
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
    if (!authorizer.isAllowed(call.principal(), p.action(), p.scope())) {
      throw ArmErrors.authorizationFailed(call.principal().objectId(), p.action(), p.scope());
    }
  }
}
