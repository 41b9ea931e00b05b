package dev.berth.controlplane.providers.app;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.internal.SequentialOutboundAddresses;

/**
 * Hands out the address of each new managed environment (its {@code staticIp}, which is also its
 * {@code outboundAddress}) and takes it back when the environment is deleted. The server implements
 * it over the addresses it can bind. Implementations must be thread-safe.
 */
public interface OutboundAddresses {

  /**
   * The address of an environment being created. Called once per environment, inside the create
   * request; the answer is stored and never recomputed.
   */
  String assign(ResourceId env);

  /** Frees what {@link #assign} handed out, when the environment is deleted. */
  void release(ResourceId env, String address);

  /**
   * An in-memory implementation for tests: {@code 127.0.0.10}, {@code 127.0.0.11}, … in order; it
   * binds nothing.
   */
  static OutboundAddresses sequential() {
    return new SequentialOutboundAddresses(10);
  }
}
