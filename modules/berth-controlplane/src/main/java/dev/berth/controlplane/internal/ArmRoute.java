package dev.berth.controlplane.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the chain needs to know about a route: which api-versions it accepts, whether it is
 * anonymous, the RBAC permission it requires, whether it reads a body, and its handler. Immutable.
 *
 * @param apiVersions the versions the route's resource type accepts; empty when any well-formed
 *     version is accepted; {@link ApiVersionRule#unknownType} for a path whose type is not served;
 *     {@link ApiVersionRule#notRequired} for a route that is not ARM's (none needed)
 * @param permission the action and scope RBAC checks; empty for "any authenticated caller" (the
 *     handler then checks what it needs itself)
 */
public record ArmRoute(
    String name,
    Function<ArmCall, ApiVersionRule> apiVersions,
    boolean anonymous,
    Function<ArmCall, Optional<Permission>> permission,
    boolean readsBody,
    ArmHandler handler) {

  /** Which api-versions a route accepts. */
  public sealed interface ApiVersionRule {
    /** Any well-formed version. */
    record Any() implements ApiVersionRule {}

    /** One of these versions, for this type. */
    record OneOf(String type, List<String> versions) implements ApiVersionRule {}

    /** The path names a resource type nobody serves. */
    record UnknownType(String namespace, String type) implements ApiVersionRule {}

    /**
     * Not ARM's: the route serves a client that sends no api-version (Prometheus), so none is
     * required and one sent is ignored.
     */
    record NotRequired() implements ApiVersionRule {}

    static ApiVersionRule any() {
      return new Any();
    }

    static ApiVersionRule unknownType(String namespace, String type) {
      return new UnknownType(namespace, type);
    }

    static ApiVersionRule notRequired() {
      return new NotRequired();
    }
  }
}
