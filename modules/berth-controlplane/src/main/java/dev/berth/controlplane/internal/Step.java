package dev.berth.controlplane.internal;

/**
 * One concern of the ARM request chain (request ids, routing, api-version, authentication, RBAC,
 * body). A step inspects and enriches the call, or throws an {@link dev.berth.api.ArmException} to
 * stop it. Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface Step {
  void apply(ArmCall call) throws Exception;
}
