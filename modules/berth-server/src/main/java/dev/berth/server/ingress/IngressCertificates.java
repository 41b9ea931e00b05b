package dev.berth.server.ingress;

import dev.berth.api.files.PrivateFiles;
import dev.berth.server.tls.LocalCertificateAuthority;
import dev.berth.server.tls.ServerIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's certificates, by the name a client asks for (SNI): a host {@code
 * <name>.<defaultDomain>} gets the wildcard {@code *.<defaultDomain>} from Berth's CA, issued the
 * first time it is asked for (and kept in the data directory, renewed as the server's is); any
 * other name, or none, gets Berth's server certificate. Only the domains of stored environments are
 * issued, so a client cannot make Berth sign names it chose. Thread-safe.
 */
public final class IngressCertificates {

  private static final Logger LOG = LoggerFactory.getLogger(IngressCertificates.class);

  private final LocalCertificateAuthority ca;
  private final Path dir;
  private final ServerIdentity fallback;
  private final Supplier<Set<String>> domains;
  private final Map<String, ServerIdentity> issued = new ConcurrentHashMap<>();

  /**
   * @param dir where the certificates are kept ({@code tls/ingress})
   * @param fallback what names outside every environment's domain are served with
   * @param domains the environments' domains now, lower case
   */
  public IngressCertificates(
      LocalCertificateAuthority ca,
      Path dir,
      ServerIdentity fallback,
      Supplier<Set<String>> domains) {
    this.ca = ca;
    this.dir = dir;
    this.fallback = fallback;
    this.domains = domains;
  }

  /**
   * The identity {@code host} is served with, issuing its domain's wildcard when first needed.
   *
   * @param host the name a client asked for; null when it named none
   */
  ServerIdentity identityFor(String host) {
    return host == null ? fallback : domainOf(host).map(this::wildcard).orElse(fallback);
  }

  private Optional<String> domainOf(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    int dot = name.indexOf('.');
    if (dot < 1) {
      return Optional.empty();
    }
    // A wildcard covers one label: <app>.<domain>, <app>--<rev>.<domain>, <app>---<label>.<domain>.
    String domain = name.substring(dot + 1);
    return domains.get().contains(domain) ? Optional.of(domain) : Optional.empty();
  }

  private ServerIdentity wildcard(String domain) {
    return issued.computeIfAbsent(
        domain,
        d -> {
          try {
            PrivateFiles.createDirectories(dir);
            ServerIdentity identity =
                ca.serverIdentity(
                    dir.resolve(d + ".pem"), dir.resolve(d + "-key.pem"), Set.of("*." + d));
            LOG.debug(
                "serving *.{} with its certificate, valid until {}",
                d,
                identity.leaf().getNotAfter());
            return identity;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
