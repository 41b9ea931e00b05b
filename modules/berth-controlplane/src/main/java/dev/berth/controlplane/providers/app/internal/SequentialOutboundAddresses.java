package dev.berth.controlplane.providers.app.internal;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.OutboundAddresses;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link OutboundAddresses} for tests: {@code 127.0.0.<n>} with {@code n} counting up, remembering
 * which are assigned so tests can see releases. Thread-safe.
 */
public final class SequentialOutboundAddresses implements OutboundAddresses {

  private final AtomicInteger next;
  private final Map<String, ResourceId> assigned = new ConcurrentHashMap<>();

  public SequentialOutboundAddresses(int firstHost) {
    this.next = new AtomicInteger(firstHost);
  }

  @Override
  public String assign(ResourceId env) {
    int host = next.getAndIncrement();
    if (host > 254) {
      throw new IllegalStateException("127.0.0.0/24 exhausted");
    }
    String address = "127.0.0." + host;
    assigned.put(address, env);
    return address;
  }

  @Override
  public void release(ResourceId env, String address) {
    assigned.remove(address);
  }

  /** The addresses assigned and not yet released. */
  public Map<String, ResourceId> assigned() {
    return Map.copyOf(assigned);
  }
}
