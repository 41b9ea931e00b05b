package dev.berth.autoscaler.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Observed in-flight requests kept in buckets of one granularity (one second by default), averaged
 * over a trailing window as Knative's autoscaler averages its per-second buckets. An in-flight
 * count holds until it is observed to change, so a bucket without an observation carries the last
 * one forward: the window reads the same whether the ingress reports every second or only on
 * change. Not thread-safe: one per {@code Autoscaler}.
 *
 * @see <a
 *     href="https://github.com/knative/serving/blob/main/pkg/autoscaler/aggregation/bucketing.go">knative/serving
 *     pkg/autoscaler/aggregation/bucketing.go</a>
 */
public final class ConcurrencyWindow {

  /** The observations that fell in one bucket: their sum and count, and the last of them. */
  private static final class Bucket {
    double sum;
    int count;
    int last;

    double mean() {
      return sum / count;
    }
  }

  private final Instant origin;
  private final long granularityNanos;
  private final long keptBuckets;
  private final NavigableMap<Long, Bucket> buckets = new TreeMap<>();
  private Instant latestAt;
  private int latest;

  /**
   * A window whose buckets start at {@code origin}, keeping what the longest window ({@code keep})
   * needs.
   */
  public ConcurrencyWindow(Instant origin, Duration granularity, Duration keep) {
    this.origin = origin;
    this.granularityNanos = granularity.toNanos();
    this.keptBuckets = bucketsIn(keep);
  }

  /**
   * Records {@code inFlight} requests seen at {@code at}. An observation older than the latest is
   * counted in its bucket but does not become the latest.
   */
  public void record(Instant at, int inFlight) {
    record(at, inFlight, inFlight);
  }

  /**
   * Records that {@code mean} requests were in flight on average over the time since the previous
   * observation, and {@code inFlight} at {@code at} (the count carried forward from then on).
   */
  public void record(Instant at, double mean, int inFlight) {
    if (inFlight < 0 || mean < 0) {
      throw new IllegalArgumentException(
          "in-flight requests cannot be negative: " + mean + ", " + inFlight);
    }
    long index = index(at);
    Bucket bucket = buckets.computeIfAbsent(index, i -> new Bucket());
    bucket.sum += mean;
    bucket.count++;
    if (bucket.count == 1) {
      bucket.last = inFlight;
    }
    if (latestAt == null || !at.isBefore(latestAt)) {
      bucket.last = inFlight;
      latestAt = at;
      latest = inFlight;
    }
    forgetBefore(index(latestAt) - keptBuckets);
  }

  /** The latest observation; 0 before any. */
  public int latest() {
    return latest;
  }

  /**
   * The mean concurrency over the {@code window} that ends in {@code now}'s bucket, counting only
   * the buckets since the first observation (so a new revision's first second is not diluted by a
   * minute it did not exist); 0 before any observation.
   */
  public double average(Instant now, Duration window) {
    if (buckets.isEmpty()) {
      return 0;
    }
    long end = index(now);
    long start = Math.max(end - bucketsIn(window) + 1, buckets.firstKey());
    if (start > end) {
      return 0;
    }
    Map.Entry<Long, Bucket> before = buckets.lowerEntry(start);
    double carried = before == null ? 0 : before.getValue().last;
    double sum = 0;
    for (long i = start; i <= end; i++) {
      Bucket b = buckets.get(i);
      if (b != null) {
        sum += b.mean();
        carried = b.last;
      } else {
        sum += carried;
      }
    }
    return sum / (end - start + 1);
  }

  private long index(Instant at) {
    return Math.floorDiv(Duration.between(origin, at).toNanos(), granularityNanos);
  }

  private long bucketsIn(Duration window) {
    return Math.max(1, Math.ceilDiv(window.toNanos(), granularityNanos));
  }

  /** Drops old buckets, keeping the last of them: it carries its value into the window. */
  private void forgetBefore(long index) {
    Long keep = buckets.floorKey(index);
    if (keep != null) {
      buckets.headMap(keep, false).clear();
    }
  }
}
