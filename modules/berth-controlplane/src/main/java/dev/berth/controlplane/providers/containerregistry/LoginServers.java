package dev.berth.controlplane.providers.containerregistry;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.containerregistry.internal.SequentialLoginServers;

/**
 * Hands out the login server ({@code host[:port]}) of each new registry and takes it back when the
 * registry is deleted. The server implements it: in DNS mode {@code <name>.<domain>} on the shared
 * registry port; by default {@code localhost:<port>} with a loopback port it reserves (and starts
 * serving) for that registry. Implementations must be thread-safe.
 */
public interface LoginServers {

  /**
   * The login server of a registry being created. Called once per registry, inside the create
   * request; the answer is stored in {@code properties.loginServer} and never recomputed.
   */
  String assign(ResourceId registry);

  /** Frees what {@link #assign} reserved, when the registry (or its group) is deleted. */
  void release(ResourceId registry, String loginServer);

  /**
   * An in-memory implementation for tests: {@code localhost:<port>}, counting up from {@code
   * firstPort}; it reserves nothing.
   */
  static LoginServers sequential(int firstPort) {
    return new SequentialLoginServers(firstPort);
  }
}
