package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.tls.TlsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a DNS domain configured, a registry's login server is {@code <name>.<domain>:<port>} on
 * Berth's own port, and requests reach it by their Host; the certificate covers {@code *.<domain>}.
 */
class RegistryDomainIT {

  @Test
  void loginServerIsNameDotDomainAndHostRoutesToIt(@TempDir Path dataDir) throws Exception {
    ServerConfig config =
        new ServerConfig(
            new DataDir(dataDir),
            "127.0.0.1",
            0,
            Set.of(),
            Optional.of("registry.test"),
            ServerConfig.ReplicaSettings.NONE,
            // The JDK's TLS engine here, BoringSSL (the default) everywhere else: both stay tested.
            TlsProvider.JDK);
    try (BerthServer server = BerthServer.start(config)) {
      assertThat(server.tlsProvider()).isEqualTo(TlsProvider.JDK);
      BootstrapInfo b = server.bootstrap();
      Https https = new Https(dataDir.resolve("tls/ca.pem"), b.managementEndpoint());
      String owner =
          https.token(b.tenantId(), b.clientId(), b.clientSecret(), b.managementEndpoint());
      String group = "/subscriptions/" + b.subscriptionId() + "/resourceGroups/dns";
      https.send("PUT", group + "?api-version=2021-04-01", owner, "{\"location\":\"local\"}");
      var put =
          https.send(
              "PUT",
              group
                  + "/providers/Microsoft.ContainerRegistry/registries/dnsacr?api-version=2023-07-01",
              owner,
              "{\"location\":\"local\",\"sku\":{\"name\":\"Premium\"}}");
      assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
      String loginServer = Https.json(put).path("properties").path("loginServer").asText();
      assertThat(loginServer).isEqualTo("dnsacr.registry.test:" + server.port());
      assertThat(server.registryPorts()).isEmpty();

      // The registry answers on Berth's port for its Host; the ARM API still answers for others.
      String v2 = get(server.port(), "dnsacr.registry.test:" + server.port(), dataDir);
      assertThat(v2).startsWith("HTTP/1.1 401");
      assertThat(v2).contains("service=\"dnsacr.registry.test:" + server.port() + "\"");
      assertThat(get(server.port(), "127.0.0.1:" + server.port(), dataDir))
          .doesNotContain("dnsacr");
      try (var pem = Files.newInputStream(dataDir.resolve("tls/server.pem"))) {
        var cert =
            (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
        assertThat(cert.getSubjectAlternativeNames())
            .anyMatch(san -> san.get(1).equals("*.registry.test"));
      }
    }
  }

  private static String get(int port, String host, Path dataDir) throws Exception {
    return Https.rawGet(dataDir.resolve("tls/ca.pem"), port, "127.0.0.1", host, "/v2/");
  }
}
