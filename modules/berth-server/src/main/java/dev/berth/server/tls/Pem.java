package dev.berth.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * PEM files with the JDK alone: certificates and PKCS#8 private keys. Reading needs no
 * BouncyCastle, so a second start of Berth does not pay for loading it (about 350 ms here);
 * BouncyCastle is used only to issue certificates. Stateless and thread-safe.
 */
final class Pem {

  private static final Base64.Encoder ENCODER =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  static String encode(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + ENCODER.encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  static String certificate(X509Certificate cert) throws GeneralSecurityException {
    return encode("CERTIFICATE", cert.getEncoded());
  }

  /** A private key in PKCS#8 form ({@code PRIVATE KEY}), which names the curve. */
  static String privateKey(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
    byte[] der = decode(Files.readString(file, StandardCharsets.US_ASCII), "CERTIFICATE", file);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    byte[] der = decode(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY", file);
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static byte[] decode(String text, String label, Path file) throws IOException {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + " holds no " + label);
    }
    return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
  }
}
