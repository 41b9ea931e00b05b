package dev.berth.runtime.image;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

/**
 * Pulls images from OCI registries into the layer cache: the {@code /v2/} challenge, the token
 * dance the challenge asks for (ACR's exchange for managed identities, bearer, basic), the manifest
 * (the linux/amd64 entry of an index), the config and the layers, each verified against its digest.
 * Layers already in the cache are not fetched again. Thread-safe; concurrent pulls of one layer
 * download it once. Closing it stops its HTTP clients.
 */
public interface ImagePuller extends AutoCloseable {

  /**
   * Pulls {@code image}.
   *
   * @param sourceAddress the local address to connect from (the environment's outbound address), or
   *     empty for the default
   */
  PulledImage pull(
      ImageReference image,
      RegistryCredential credential,
      Optional<InetAddress> sourceAddress,
      PullListener listener)
      throws PullException;

  /**
   * Sends one request to {@code endpoint} — any HTTPS server this puller trusts; its answer does
   * not matter — on a virtual thread, so that the first pull does not also pay for the first TLS
   * handshake of this JVM's client. Optional; the default does nothing.
   */
  default void warmUp(URI endpoint) {}

  /**
   * Readies, on a virtual thread, what pulls from {@code sourceAddress} will need (an environment's
   * outbound address: its HTTP client), so that the environment's first pull does not wait for it.
   * Idempotent and cheap once done. Optional; the default does nothing.
   */
  default void prepare(Optional<InetAddress> sourceAddress) {}

  @Override
  void close();
}
