package dev.berth.server.ingress;

import dev.berth.api.ResourceId;
import dev.berth.ingress.RequestLoad;
import dev.berth.reconciler.RevisionTraffic;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's view of the ingress: a revision's load is what the ingress counted for its
 * resource id as stored (what the routes carry, {@link ResourceId#value()}), and a replica is
 * drained by its address. Thread-safe.
 */
public final class IngressTraffic implements RevisionTraffic {

  private static final Logger LOG = LoggerFactory.getLogger(IngressTraffic.class);

  private final RequestLoad load;

  public IngressTraffic(RequestLoad load) {
    this.load = load;
  }

  @Override
  public Load read(ResourceId revision) {
    RequestLoad.Sample sample = load.sample(revision.value());
    return new Load(sample.mean(), sample.now());
  }

  @Override
  public void drain(String address, Duration max) {
    try {
      if (!load.drain(address, max)) {
        LOG.info(
            "replica {} still had {} requests in flight after {} s; stopping it",
            address,
            load.inFlightTo(address),
            max.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void assigned(String address) {
    load.drained(address);
  }
}
