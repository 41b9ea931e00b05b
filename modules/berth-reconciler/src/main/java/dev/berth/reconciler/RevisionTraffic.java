package dev.berth.reconciler;

import dev.berth.api.ResourceId;
import java.time.Duration;

/**
 * The port through which the reconciler sees a revision's requests and takes a replica out of them:
 * the server fills it from the ingress. The autoscaler reads the load; a replica about to stop is
 * drained first, so no request in flight to it is lost. Implementations are thread-safe.
 */
public interface RevisionTraffic {

  /** No ingress: no load, nothing to drain (tests of the reconciler alone). */
  RevisionTraffic NONE =
      new RevisionTraffic() {
        @Override
        public Load read(ResourceId revision) {
          return Load.IDLE;
        }

        @Override
        public void drain(String address, Duration max) {}

        @Override
        public void assigned(String address) {}
      };

  /**
   * One reading of a revision's requests.
   *
   * @param mean the mean number in flight since the previous reading
   * @param now the number in flight now, requests the activator holds included
   */
  record Load(double mean, int now) {
    public static final Load IDLE = new Load(0, 0);
  }

  /** Reads {@code revision}'s requests; the next reading's mean starts now. */
  Load read(ResourceId revision);

  /**
   * Sends no new request to the replica at {@code address} and waits, at most {@code max}, for the
   * requests in flight to it to end. Returns at once when none are.
   */
  void drain(String address, Duration max);

  /** A new replica has {@code address}: requests may go to it once it is ready. */
  void assigned(String address);
}
