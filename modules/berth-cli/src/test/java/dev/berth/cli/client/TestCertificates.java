package dev.berth.cli.client;

import dev.berth.testing.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 made once per test JVM with the JDK's keytool: the
 * server's key store and the PEM a client trusts. Thread-safe (lazily built once).
 */
public final class TestCertificates {

  private static final char[] PASSWORD = "changeit".toCharArray();
  private static TestCertificates instance;

  private final Path keyStore;
  private final Path caPem;

  private TestCertificates(Path keyStore, Path caPem) {
    this.keyStore = keyStore;
    this.caPem = caPem;
  }

  public static synchronized TestCertificates get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("berth-cli-tls");
        dir.toFile().deleteOnExit();
        Path ks = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        keytool(
            "-genkeypair",
            "-alias",
            "berth",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=127.0.0.1",
            "-ext",
            "SAN=ip:127.0.0.1,dns:localhost",
            "-validity",
            "2",
            "-keystore",
            ks.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit",
            "-keypass",
            "changeit");
        keytool(
            "-exportcert",
            "-rfc",
            "-alias",
            "berth",
            "-keystore",
            ks.toString(),
            "-storepass",
            "changeit",
            "-file",
            pem.toString());
        ks.toFile().deleteOnExit();
        pem.toFile().deleteOnExit();
        instance = new TestCertificates(ks, pem);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The PEM file clients pass as their CA. */
  public Path caPem() {
    return caPem;
  }

  /** An SSL context serving the certificate. */
  public SSLContext serverContext() {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keytool(String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    try {
      Exec.of(command).timeout(Duration.ofSeconds(60)).run().requireSuccess();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
