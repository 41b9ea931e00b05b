package dev.berth.ingress;

import java.net.InetAddress;

/**
 * Counts the connections each address holds, so that the ingress' listeners share a cap per address
 * with the server's other public listeners. Implementations are thread-safe.
 */
public interface PeerGate {

  /** No cap. */
  PeerGate OPEN =
      new PeerGate() {
        @Override
        public boolean admit(InetAddress peer) {
          return true;
        }

        @Override
        public void left(InetAddress peer) {}
      };

  /** Counts a new connection from {@code peer}; false (and not counted) when it is over the cap. */
  boolean admit(InetAddress peer);

  /** A connection {@link #admit admitted} for {@code peer} closed. */
  void left(InetAddress peer);
}
