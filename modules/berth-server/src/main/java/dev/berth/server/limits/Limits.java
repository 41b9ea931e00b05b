package dev.berth.server.limits;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * How much of Berth one client, and all clients together, may hold: connections, time to present a
 * request, concurrent requests and pooled buffers. Each default says why its number (see also
 * docs/security.md, "Limits"). Immutable.
 *
 * <p>The numbers come from one budget. A slow TLS connection holds up to ~52 KiB of direct buffers
 * (a partial 16 KiB TLS record in, one out, and an 8 KiB request buffer, rounded to Jetty's pool
 * buckets; ~25 KB of memory in all on average, measured), and direct memory is capped at the heap
 * size (384 MiB under {@code bin/berth}). At 19 000 connections that cap ran out: every close then
 * needed one more buffer for its TLS close_notify, waited in a full GC for it, and never closed
 * (docs/benchmarks.md, "Flood").
 *
 * @param maxConnections connections on every listener together: 4096 × 52 KiB ≈ 210 MiB stays well
 *     inside 384 MiB of direct memory, and 4096 descriptors are a fifth of a 20 000 fd limit (at
 *     start it is lowered to half the process's descriptor limit when that is smaller)
 * @param maxConnectionsPerPeer connections from one source address: 256, a sixteenth of the total,
 *     so it takes 16 addresses to fill Berth; HTTP clients open 1–20 per host (podman pulls 6
 *     layers at once), and everything local shares 127.0.0.1
 * @param maxIdentityConnectionsPerReplica connections from one replica's address to the
 *     managed-identity endpoint: 16; the Azure SDKs fetch a token at a time and cache it
 * @param requestHeaderTimeout the TLS handshake and the first request's headers must arrive within
 *     this of the connection's accept, and any later request's headers within this of its first
 *     byte: 10 s, where a client on loopback or a LAN needs milliseconds and one on a lossy link a
 *     few retransmissions (1 + 2 + 4 s); a slowloris connection lives no longer
 * @param idleTimeout a connection that carries no byte for this long is closed: 30 s, Jetty's own
 *     default, for keep-alive between requests
 * @param requestIdleTimeout a request whose body (or response) makes no progress for this long
 *     fails: 15 s, longer than four successive TCP retransmission timeouts (1 + 2 + 4 + 8 s)
 * @param maxRequestHeaderBytes request line and headers: 8 KiB, Jetty's default; Berth's largest
 *     header, a bearer token, is under 3 KiB
 * @param maxConcurrentRequests requests handled at once (each on a virtual thread, whose stacks
 *     live on the heap): 256; beyond that requests wait without a thread, up to {@code
 *     maxRequestQueueTime}
 * @param maxConcurrentRequestsPerPeer requests from one address handled at once: 32, an eighth of
 *     all, so one busy client leaves most of the server to the others; its other requests wait
 * @param maxRequestQueueTime how long a request waits for one of the {@code maxConcurrentRequests}:
 *     30 s, then 503 with {@code Retry-After}
 * @param maxPooledHeapBytes heap buffers Jetty keeps for reuse: 16 MiB, many times what busy
 *     registry pulls use; they live in the (bounded) heap
 * @param maxPooledDirectBytes direct buffers Jetty keeps for reuse: 8 MiB, a few hundred TLS
 *     records, so that what a flood allocated goes back to the OS rather than to the pool
 */
public record Limits(
    int maxConnections,
    int maxConnectionsPerPeer,
    int maxIdentityConnectionsPerReplica,
    Duration requestHeaderTimeout,
    Duration idleTimeout,
    Duration requestIdleTimeout,
    int maxRequestHeaderBytes,
    int maxConcurrentRequests,
    int maxConcurrentRequestsPerPeer,
    Duration maxRequestQueueTime,
    long maxPooledHeapBytes,
    long maxPooledDirectBytes) {

  public static final Limits DEFAULTS =
      new Limits(
          4096,
          256,
          16,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(15),
          8 * 1024,
          256,
          32,
          Duration.ofSeconds(30),
          16L * 1024 * 1024,
          8L * 1024 * 1024);

  public Limits {
    positive("maxConnections", maxConnections);
    positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
    positive("maxIdentityConnectionsPerReplica", maxIdentityConnectionsPerReplica);
    positive("maxRequestHeaderBytes", maxRequestHeaderBytes);
    positive("maxConcurrentRequests", maxConcurrentRequests);
    positive("maxConcurrentRequestsPerPeer", maxConcurrentRequestsPerPeer);
    positive("requestHeaderTimeout", requestHeaderTimeout.toMillis());
    positive("idleTimeout", idleTimeout.toMillis());
    positive("requestIdleTimeout", requestIdleTimeout.toMillis());
    positive("maxRequestQueueTime", maxRequestQueueTime.toMillis());
    if (maxPooledHeapBytes < 0 || maxPooledDirectBytes < 0) {
      throw new IllegalArgumentException("pooled buffer bytes must not be negative");
    }
    if (maxConnectionsPerPeer > maxConnections) {
      // One peer could then fill every slot, which is what the per-peer cap is there to prevent.
      throw new IllegalArgumentException(
          "the connections per peer ("
              + maxConnectionsPerPeer
              + ") must not exceed the connections in all ("
              + maxConnections
              + ")");
    }
  }

  /**
   * The defaults, with what the environment sets: {@code BERTH_MAX_CONNECTIONS}, {@code
   * BERTH_MAX_CONNECTIONS_PER_PEER}, {@code BERTH_MAX_REQUESTS}, {@code BERTH_HEADER_TIMEOUT} and
   * {@code BERTH_IDLE_TIMEOUT} (seconds).
   */
  public static Limits fromEnvironment(Map<String, String> env) {
    Function<String, Integer> number = name -> parse(name, env.get(name));
    Limits l = DEFAULTS;
    Integer total = number.apply("BERTH_MAX_CONNECTIONS");
    Integer perPeer = number.apply("BERTH_MAX_CONNECTIONS_PER_PEER");
    Integer requests = number.apply("BERTH_MAX_REQUESTS");
    Integer header = number.apply("BERTH_HEADER_TIMEOUT");
    Integer idle = number.apply("BERTH_IDLE_TIMEOUT");
    return new Limits(
        total != null ? total : l.maxConnections,
        perPeer != null ? perPeer : l.maxConnectionsPerPeer,
        l.maxIdentityConnectionsPerReplica,
        header != null ? Duration.ofSeconds(header) : l.requestHeaderTimeout,
        idle != null ? Duration.ofSeconds(idle) : l.idleTimeout,
        l.requestIdleTimeout,
        l.maxRequestHeaderBytes,
        requests != null ? requests : l.maxConcurrentRequests,
        l.maxConcurrentRequestsPerPeer,
        l.maxRequestQueueTime,
        l.maxPooledHeapBytes,
        l.maxPooledDirectBytes);
  }

  /** These limits with the connection caps a command line gave (null: keep). */
  public Limits withConnections(Integer total, Integer perPeer) {
    return new Limits(
        total != null ? total : maxConnections,
        perPeer != null ? perPeer : maxConnectionsPerPeer,
        maxIdentityConnectionsPerReplica,
        requestHeaderTimeout,
        idleTimeout,
        requestIdleTimeout,
        maxRequestHeaderBytes,
        maxConcurrentRequests,
        maxConcurrentRequestsPerPeer,
        maxRequestQueueTime,
        maxPooledHeapBytes,
        maxPooledDirectBytes);
  }

  /**
   * These limits on a process that may open {@code maxDescriptors} files: at most half of them go
   * to connections, the rest stay for the store, blobs, logs and replicas.
   */
  public Limits forDescriptorLimit(long maxDescriptors) {
    long half = maxDescriptors / 2;
    if (maxDescriptors <= 0 || half >= maxConnections) {
      return this;
    }
    int total = (int) Math.max(1, half);
    return new Limits(
        total,
        Math.min(maxConnectionsPerPeer, total),
        Math.min(maxIdentityConnectionsPerReplica, total),
        requestHeaderTimeout,
        idleTimeout,
        requestIdleTimeout,
        maxRequestHeaderBytes,
        maxConcurrentRequests,
        maxConcurrentRequestsPerPeer,
        maxRequestQueueTime,
        maxPooledHeapBytes,
        maxPooledDirectBytes);
  }

  private static Integer parse(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a whole number: " + value);
    }
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
