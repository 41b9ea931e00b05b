package dev.berth.server;

import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.controlplane.providers.app.OutboundAddresses;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gives each container-apps environment a loopback address of its own, 127.0.0.10 to 127.0.0.254,
 * that its image pulls leave from, so registry network rules judge a real peer address. The
 * addresses in use are read from the environments in the store, so a restart changes nothing.
 * Thread-safe.
 */
final class LoopbackOutboundAddresses implements OutboundAddresses {

  private static final int FIRST = 10;
  private static final int LAST = 254;

  private final ResourceStore store;

  LoopbackOutboundAddresses(ResourceStore store) {
    this.store = store;
  }

  @Override
  public synchronized String assign(ResourceId env) {
    Set<String> taken =
        store.stream(Query.descendants(ResourceId.root(), AppTypes.MANAGED_ENVIRONMENT).limit(500))
            .map(doc -> doc.body().path("properties").path("outboundAddress").asText(""))
            .collect(Collectors.toSet());
    for (int host = FIRST; host <= LAST; host++) {
      String address = "127.0.0." + host;
      if (!taken.contains(address)) {
        return address;
      }
    }
    throw new IllegalStateException("every loopback address from 127.0.0.10 to .254 is in use");
  }

  @Override
  public void release(ResourceId env, String address) {
    // Nothing to do: the address is free once the environment's document is gone.
  }
}
