package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and the server certificate it signed for {@code 127.0.0.1} and
 * {@code localhost}, made once per test JVM, in memory (ECDSA P-256, valid for two days): what a
 * loopback HTTPS server serves and what its clients trust — as a PEM file ({@code
 * REQUESTS_CA_BUNDLE}, a CLI's {@code --ca-file}), an {@link SSLContext} or the certificate itself.
 * A CA and a leaf rather than one self-signed certificate, as Berth's own TLS is made, because some
 * clients (Python's, Go's) refuse a leaf that is its own issuer. Thread-safe.
 */
public final class TestCa {

  /** The password of {@link #serverKeyStore()} and of the key in it. */
  public static final String KEY_STORE_PASSWORD = "changeit";

  private static TestCa instance;

  private final X509Certificate caCertificate;
  private final KeyStore serverKeyStore;
  private final Path caPem;

  private TestCa(X509Certificate caCertificate, KeyStore serverKeyStore, Path caPem) {
    this.caCertificate = caCertificate;
    this.serverKeyStore = serverKeyStore;
    this.caPem = caPem;
  }

  /** The CA of this JVM, made on first use. */
  public static synchronized TestCa get() {
    if (instance == null) {
      try {
        instance = create();
      } catch (GeneralSecurityException | OperatorCreationException e) {
        throw new IllegalStateException("cannot make the test certificate authority", e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The CA's certificate: what a client that takes a certificate trusts. */
  public X509Certificate certificate() {
    return caCertificate;
  }

  /** The CA's certificate as a PEM file (deleted when the JVM exits). */
  public Path caPem() {
    return caPem;
  }

  /** A PKCS12 store with the server's key and its chain, under {@link #KEY_STORE_PASSWORD}. */
  public KeyStore serverKeyStore() {
    return serverKeyStore;
  }

  /** A client context that trusts this CA and nothing else. */
  public SSLContext clientContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers().getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trust managers that trust this CA and nothing else. */
  public TrustManagerFactory trustManagers() {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("test-ca", caCertificate);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      return trust;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TestCa create()
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPair caKeys = newKeyPair();
    X500Name caName = new X500Name("CN=Berth Test CA " + Instant.now().getEpochSecond());
    X509v3CertificateBuilder ca = builder(caName, caName, caKeys.getPublic());
    ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    ca.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate caCertificate = sign(ca, caKeys);

    KeyPair serverKeys = newKeyPair();
    X509v3CertificateBuilder server =
        builder(caName, new X500Name("CN=127.0.0.1"), serverKeys.getPublic());
    server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    server.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    server.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    server.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
    X509Certificate serverCertificate = sign(server, caKeys);

    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "server",
        serverKeys.getPrivate(),
        KEY_STORE_PASSWORD.toCharArray(),
        new Certificate[] {serverCertificate, caCertificate});
    Path pem = Files.createTempFile("berth-test-ca", ".pem");
    pem.toFile().deleteOnExit();
    Files.writeString(pem, pem(caCertificate), StandardCharsets.US_ASCII);
    return new TestCa(caCertificate, store, pem);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** Valid from an hour ago (clock skew between the JVM and a child process) for two days. */
  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        subject,
        key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static String pem(X509Certificate certificate) throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
