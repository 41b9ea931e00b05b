package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the HTTP client the CLI uses: trusts Berth's CA from a PEM file when one is given (the
 * JDK's default trust otherwise) and keeps hostname verification on. Stateless and thread-safe.
 */
public final class Tls {

  private Tls() {}

  /** An HTTP client trusting the certificates in {@code caPem}, or the JDK defaults. */
  public static HttpClient httpClient(Optional<Path> caPem) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER);
    caPem.ifPresent(path -> builder.sslContext(trusting(path)));
    return builder.build();
  }

  /** An SSL context whose only trust anchors are the certificates of a PEM file. */
  public static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      // The X.509 factory reads PEM (BEGIN/END CERTIFICATE) as well as DER, and bundles of both.
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + caPem);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate cert : certs) {
        store.setCertificateEntry("berth-ca-" + i++, cert);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CA file " + caPem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid CA file " + caPem + ": " + e.getMessage(), e);
    }
  }
}
