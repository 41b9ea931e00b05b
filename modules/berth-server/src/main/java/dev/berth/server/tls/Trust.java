package dev.berth.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS client contexts that trust Berth's CA, for Berth's own clients of itself. Stateless. */
public final class Trust {

  private Trust() {}

  /** An SSL context that trusts the certificates in {@code caPem} and nothing else. */
  public static SSLContext onlyCa(Path caPem) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    return context(managers(trust, caPem));
  }

  /**
   * An SSL context that trusts Berth's CA and the JDK's own trust store: what the image puller
   * needs, since apps pull from Berth's registries and from public ones alike.
   */
  public static SSLContext caAndSystem(Path caPem) throws IOException, GeneralSecurityException {
    return context(caAndSystemManagers(caPem));
  }

  /** The trust managers of {@link #caAndSystem}, for TLS engines other than the JDK's. */
  public static TrustManagerFactory caAndSystemManagers(Path caPem)
      throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    if (Files.isRegularFile(cacerts)) {
      KeyStore system = KeyStore.getInstance(KeyStore.getDefaultType());
      try (InputStream in = Files.newInputStream(cacerts)) {
        system.load(in, null);
      }
      for (String alias : Collections.list(system.aliases())) {
        if (system.isCertificateEntry(alias)) {
          trust.setCertificateEntry(alias, system.getCertificate(alias));
        }
      }
    }
    return managers(trust, caPem);
  }

  /** A client context of {@code trust}'s managers. */
  public static SSLContext context(TrustManagerFactory trust) throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trust.getTrustManagers(), null);
    return ctx;
  }

  private static TrustManagerFactory managers(KeyStore trust, Path caPem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry(
          "berth-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }
}
