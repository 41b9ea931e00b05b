package dev.berth.runtime.image;

import javax.net.ssl.SSLEngine;

/**
 * TLS engines for a puller's registry connections other than the JDK's: Berth's server hands in
 * BoringSSL's ({@code TlsProvider}), which decrypts a layer at full speed from its first byte,
 * where the JDK's engine runs AES-GCM in the interpreter until the JIT has compiled it — the first
 * few pulls after a start (docs/runtime-images.md, "TLS"). Thread-safe.
 */
public interface ClientTls extends AutoCloseable {

  /**
   * A client-mode engine for one connection to {@code host}:{@code port}. It must check the
   * server's chain against the puller's trust and the certificate's names against {@code host}
   * (endpoint identification {@code HTTPS}), as the JDK's engine does for the puller.
   */
  SSLEngine newEngine(String host, int port);

  /** Frees what {@code engine} holds outside the heap; called once its connection has closed. */
  void release(SSLEngine engine);

  /** Frees the shared context, once however often it is called; no engine is asked for after. */
  @Override
  void close();
}
