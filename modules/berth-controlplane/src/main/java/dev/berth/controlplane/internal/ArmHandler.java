package dev.berth.controlplane.internal;

/**
 * Serves one ARM route once the chain has passed: reads the call, does the work, sends the reply.
 * Errors are thrown as {@link dev.berth.api.ArmException}; a handler never picks an error status.
 */
@FunctionalInterface
public interface ArmHandler {
  void handle(ArmCall call) throws Exception;
}
