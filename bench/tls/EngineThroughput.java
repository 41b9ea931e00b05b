import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.TrustManagerFactory;

/**
 * How fast each server TLS engine Berth can run turns plaintext into TLS 1.3 records
 * (AES-128-GCM), in memory: a server engine and a JDK client engine shake hands, then the server
 * wraps 256 MB from a 1 MiB buffer into one record-sized buffer, as Jetty drives it when it sends a
 * blob. Buffers as Berth gives them to each engine: direct for BoringSSL, a direct source and a heap
 * record buffer for the JDK. Three rounds per engine, interleaved, so the JDK's JIT gets its warm-up.
 *
 * <p>Usage: java -cp CLASSPATH EngineThroughput.java KEYSTORE.p12 PASSWORD
 */
public class EngineThroughput {
  private static final long TOTAL = 256L << 20;

  public static void main(String[] args) throws Exception {
    char[] password = args[1].toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(args[0])) {
      keys.load(in, password);
    }
    String alias = keys.aliases().nextElement();
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(keys, password);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(keys);
    SSLContext jdkServer = SSLContext.getInstance("TLSv1.3");
    jdkServer.init(kmf.getKeyManagers(), null, null);
    SSLContext jdkClient = SSLContext.getInstance("TLSv1.3");
    jdkClient.init(null, tmf.getTrustManagers(), null);
    var boring =
        SslContextBuilder.forServer(
                (PrivateKey) keys.getKey(alias, password), (X509Certificate) keys.getCertificate(alias))
            .sslProvider(SslProvider.OPENSSL)
            .build();

    for (int round = 1; round <= 3; round++) {
      for (String engine : new String[] {"jdk", "boringssl"}) {
        boolean boringSsl = engine.equals("boringssl");
        SSLEngine server =
            boringSsl ? boring.newEngine(UnpooledByteBufAllocator.DEFAULT) : jdkServer.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = jdkClient.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
        handshake(client, server);
        int recordSize = server.getSession().getPacketBufferSize();
        ByteBuffer plain = ByteBuffer.allocateDirect(1 << 20);
        ByteBuffer record =
            boringSsl ? ByteBuffer.allocateDirect(recordSize) : ByteBuffer.allocate(recordSize);
        long start = System.nanoTime();
        for (long sent = 0; sent < TOTAL; sent += plain.capacity()) {
          plain.clear();
          while (plain.hasRemaining()) {
            record.clear();
            if (server.wrap(plain, record).getStatus() != Status.OK) {
              throw new IllegalStateException("wrap failed");
            }
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "round %d  %-9s %s  %5.0f MB/s%n",
            round, engine, server.getSession().getCipherSuite(), TOTAL / 1e6 / seconds);
      }
    }
  }

  private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
    ByteBuffer sink = ByteBuffer.allocate(1 << 16);
    ByteBuffer none = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < 50; step++) {
      client.wrap(none, toServer);
      toServer.flip();
      server.unwrap(toServer, sink);
      toServer.compact();
      runTasks(server);
      server.wrap(none, toClient);
      toClient.flip();
      client.unwrap(toClient, sink);
      toClient.compact();
      runTasks(client);
      if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
          && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
        return;
      }
    }
    throw new IllegalStateException("the handshake did not finish");
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
      task.run();
    }
  }
}
