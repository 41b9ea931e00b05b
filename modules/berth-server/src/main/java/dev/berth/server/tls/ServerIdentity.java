package dev.berth.server.tls;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A server's private key and certificate chain (leaf first), ready for a TLS connector. */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain) {

  public ServerIdentity {
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** The DNS names and IP addresses the leaf certificate names, lower-cased. */
  public Set<String> names() {
    Set<String> names = new HashSet<>();
    try {
      var sans = leaf().getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
        }
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return names;
  }

  public boolean covers(Set<String> wanted) {
    Set<String> have = names();
    return wanted.stream().allMatch(n -> have.contains(n.toLowerCase(Locale.ROOT)));
  }

  /** An in-memory PKCS12 key store holding this identity under alias {@code berth}. */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("berth", key, password, chain.toArray(X509Certificate[]::new));
      return store;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the server key store", e);
    }
  }
}
