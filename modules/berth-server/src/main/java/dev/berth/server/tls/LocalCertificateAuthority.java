package dev.berth.server.tls;

import dev.berth.api.files.PrivateFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Berth's local certificate authority: a CA created on first start (kept in the data directory)
 * that signs the server certificate for every name Berth answers on. Clients trust Berth by
 * trusting the CA ({@code berth ca} prints it). Keys are ECDSA P-256: fast to make, accepted by
 * Java, Python (az), Go (skopeo, podman) and curl. Not thread-safe; used once at start-up.
 */
public final class LocalCertificateAuthority {

  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration LEAF_LIFETIME = Duration.ofDays(397);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final String SIGNATURE = "SHA256withECDSA";

  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Path caPem;

  private LocalCertificateAuthority(KeyPair caKeys, X509Certificate caCert, Path caPem) {
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.caPem = caPem;
  }

  /** Loads the CA from {@code caPem} and {@code caKeyPem}, creating both on first use. */
  public static LocalCertificateAuthority loadOrCreate(Path caPem, Path caKeyPem)
      throws IOException {
    try {
      if (Files.exists(caPem) && Files.exists(caKeyPem)) {
        X509Certificate cert = Pem.readCertificate(caPem);
        return new LocalCertificateAuthority(
            new KeyPair(cert.getPublicKey(), Pem.readPrivateKey(caKeyPem)), cert, caPem);
      }
      KeyPair keys = newKeyPair();
      X500Name subject =
          new X500Name("CN=Berth Local CA " + Instant.now().getEpochSecond() + ",O=Berth");
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(CA_LIFETIME)),
              subject,
              keys.getPublic());
      var ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder.build(signer(keys.getPrivate())));
      // Every file in the data directory is its owner's only, the certificates too: clients of
      // other users get the CA from 'berth ca'.
      PrivateFiles.writeString(caKeyPem, Pem.privateKey(keys.getPrivate()));
      PrivateFiles.writeString(caPem, Pem.certificate(cert));
      return new LocalCertificateAuthority(keys, cert, caPem);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create the local certificate authority", e);
    }
  }

  public X509Certificate certificate() {
    return caCert;
  }

  /** The CA certificate in PEM form: what {@code berth ca} prints. */
  public String certificatePem() throws IOException {
    return Files.readString(caPem);
  }

  /**
   * The server certificate for these names, reusing the one in {@code certPem}/{@code keyPem} when
   * it was signed by this CA, covers every name and is not close to expiry; otherwise a new one.
   */
  public ServerIdentity serverIdentity(Path certPem, Path keyPem, Set<String> names)
      throws IOException {
    try {
      Optional<ServerIdentity> existing = readServerIdentity(certPem, keyPem);
      if (existing.isPresent() && existing.get().covers(names) && fresh(existing.get())) {
        return existing.get();
      }
      KeyPair keys = newKeyPair();
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              caCert,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(LEAF_LIFETIME)),
              new X500Name("CN=" + names.iterator().next()),
              keys.getPublic());
      var ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate cert = sign(builder.build(signer(caKeys.getPrivate())));
      PrivateFiles.writeString(keyPem, Pem.privateKey(keys.getPrivate()));
      PrivateFiles.writeString(certPem, Pem.certificate(cert));
      return new ServerIdentity(keys.getPrivate(), List.of(cert, caCert));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue the server certificate", e);
    }
  }

  private Optional<ServerIdentity> readServerIdentity(Path certPem, Path keyPem) {
    if (!Files.exists(certPem) || !Files.exists(keyPem)) {
      return Optional.empty();
    }
    try {
      X509Certificate cert = Pem.readCertificate(certPem);
      cert.verify(caCert.getPublicKey());
      return Optional.of(new ServerIdentity(Pem.readPrivateKey(keyPem), List.of(cert, caCert)));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return Optional.empty(); // unreadable or signed by an older CA: issue a new one
    }
  }

  private static boolean fresh(ServerIdentity identity) {
    return identity.leaf().getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
  }

  private static GeneralNames subjectAltNames(Set<String> names) {
    List<GeneralName> all = new ArrayList<>();
    for (String name : new TreeSet<>(names)) {
      all.add(
          isIpLiteral(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    return new GeneralNames(all.toArray(GeneralName[]::new));
  }

  static boolean isIpLiteral(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return gen.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(SIGNATURE).build(key);
  }

  private static X509Certificate sign(X509CertificateHolder holder)
      throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }
}
