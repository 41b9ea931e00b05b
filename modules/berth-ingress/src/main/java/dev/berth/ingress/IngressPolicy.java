package dev.berth.ingress;

import dev.berth.api.net.IpRange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an app's ingress settings ask of the edge, computed once when the routes are built so a
 * request only reads it: internal or external ingress, the client addresses admitted ({@code
 * ipSecurityRestrictions}), sticky sessions, CORS, and HTTP/2 to the replica ({@code transport}). A
 * value; thread-safe.
 *
 * @param internal {@code external: false}: served only to connections from the environment's
 *     replicas (the ingress listener on the environment's bridge)
 * @param ipRanges the restrictions' ranges; empty admits everyone
 * @param allowList the ranges are {@code Allow} rules (only clients inside pass); else {@code Deny}
 *     rules (clients inside are refused)
 * @param sticky {@code stickySessions.affinity: sticky}: a cookie pins a client to a replica
 * @param cors {@code corsPolicy}, when set
 * @param http2 {@code transport: http2}: requests reach the replica over h2c
 * @param insiders for an internal app, the addresses of its own environment's replicas, the only
 *     callers it answers (replicas of every environment share the network the ingress listens on
 *     for them); empty: any caller from that network (a table that knows no environments)
 */
public record IngressPolicy(
    boolean internal,
    List<IpRange> ipRanges,
    boolean allowList,
    boolean sticky,
    Optional<CorsPolicy> cors,
    boolean http2,
    Optional<Set<String>> insiders) {

  /** External ingress with no restriction, no affinity, no CORS, HTTP/1.1 to the replica. */
  public static final IngressPolicy OPEN =
      new IngressPolicy(false, List.of(), false, false, Optional.empty(), false);

  public IngressPolicy {
    ipRanges = List.copyOf(ipRanges);
    Objects.requireNonNull(cors, "cors");
    insiders = insiders.map(Set::copyOf);
  }

  /** A policy with no list of insiders: an internal app answers its whole network. */
  public IngressPolicy(
      boolean internal,
      List<IpRange> ipRanges,
      boolean allowList,
      boolean sticky,
      Optional<CorsPolicy> cors,
      boolean http2) {
    this(internal, ipRanges, allowList, sticky, cors, http2, Optional.empty());
  }

  /** Whether a caller at {@code address} is one of the app's environment's replicas. */
  public boolean insider(String address) {
    return insiders.map(known -> known.contains(address)).orElse(true);
  }

  /** The same policy, answering (when internal) only callers at {@code addresses}. */
  public IngressPolicy withInsiders(Set<String> addresses) {
    return new IngressPolicy(
        internal, ipRanges, allowList, sticky, cors, http2, Optional.of(addresses));
  }

  /** Whether a client at {@code address} (4 or 16 bytes) may call the app. */
  public boolean admits(byte[] address) {
    if (ipRanges.isEmpty()) {
      return true;
    }
    for (IpRange range : ipRanges) {
      if (range.contains(address)) {
        return allowList;
      }
    }
    return !allowList;
  }

  public IngressPolicy withInternal(boolean internal) {
    return new IngressPolicy(internal, ipRanges, allowList, sticky, cors, http2, insiders);
  }
}
