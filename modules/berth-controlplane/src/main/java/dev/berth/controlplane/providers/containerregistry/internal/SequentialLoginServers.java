package dev.berth.controlplane.providers.containerregistry.internal;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.containerregistry.LoginServers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link LoginServers} for tests: {@code localhost:<port>} with ports counting up, remembering
 * which are assigned so tests can see releases. Thread-safe.
 */
public final class SequentialLoginServers implements LoginServers {

  private final AtomicInteger next;
  private final Map<String, ResourceId> assigned = new ConcurrentHashMap<>();

  public SequentialLoginServers(int firstPort) {
    this.next = new AtomicInteger(firstPort);
  }

  @Override
  public String assign(ResourceId registry) {
    String server = "localhost:" + next.getAndIncrement();
    assigned.put(server, registry);
    return server;
  }

  @Override
  public void release(ResourceId registry, String loginServer) {
    assigned.remove(loginServer);
  }

  /** The login servers assigned and not yet released. */
  public Map<String, ResourceId> assigned() {
    return Map.copyOf(assigned);
  }
}
