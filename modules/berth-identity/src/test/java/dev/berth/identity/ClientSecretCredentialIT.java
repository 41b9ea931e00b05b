package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import dev.berth.http.HttpExchange;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import dev.berth.store.memory.InMemoryResourceStore;
import dev.berth.testing.Exec;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real azure-identity {@link ClientSecretCredential} (MSAL4J underneath) logs in against
 * Berth's token endpoints over HTTPS with a self-signed certificate.
 */
class ClientSecretCredentialIT {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";

  @TempDir Path dir;

  final AtomicReference<Router<RouteHandler>> router =
      new AtomicReference<>(new Router<>(List.of()));
  Server server;
  int port;
  X509Certificate cert;
  IdentityConfig config;
  SigningKeys keys;
  StoreDirectory directory;

  @BeforeEach
  void start() throws Exception {
    Path keystore = selfSignedKeystore();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    cert = (X509Certificate) ks.getCertificate("berth");

    server = new Server();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(ks);
    ssl.setKeyStorePassword("changeit");
    HttpConfiguration https = new HttpConfiguration();
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            HttpExchange ex = new HttpExchange(request, response, callback);
            if (router.get().match(request.getMethod(), ex.segments())
                instanceof Router.Match.Found<RouteHandler> f) {
              Router.dispatch(f, ex);
            } else {
              ex.sendEmpty(404);
            }
            return true;
          }
        });
    server.start();
    port = connector.getLocalPort();
    config =
        IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:" + port), dir.resolve("keys"));
    keys = SigningKeys.loadOrCreate(config.keyDirectory());
    directory = new StoreDirectory(new InMemoryResourceStore(), TENANT, Clock.systemUTC());
    // The authority names the port, known only once Jetty listens: the routes come after start.
    router.set(
        new Router<>(
            new TokenEndpoints(config, directory, new TokenIssuer(config, keys), keys).routes()));
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void azureIdentityGetsAManagementTokenThatBerthVerifies() throws Exception {
    var sp = directory.createServicePrincipal("sdk");

    AccessToken token =
        credential(sp.principal().appId(), sp.clientSecret())
            .getToken(new TokenRequestContext().addScopes(config.authority() + "/.default"))
            .block(Duration.ofSeconds(30));

    assertThat(token).isNotNull();
    VerifiedToken verified =
        JwtTokenVerifier.forDirectory(config, keys, directory)
            .verify(token.getToken(), config.managementAudiences());
    assertThat(verified.principal()).isEqualTo(sp.principal());
    // expires_in is one second short of exp, as Entra answers 3599 for a one-hour token.
    assertThat(token.getExpiresAt().toEpochSecond())
        .isBetween(
            verified.expiresAt().getEpochSecond() - 5, verified.expiresAt().getEpochSecond());
  }

  @Test
  void azureIdentityReportsAWrongSecret() {
    var sp = directory.createServicePrincipal("sdk");
    ClientSecretCredential credential = credential(sp.principal().appId(), "wrong-secret");

    assertThatThrownBy(
            () ->
                credential
                    .getToken(new TokenRequestContext().addScopes(config.authority() + "/.default"))
                    .block(Duration.ofSeconds(30)))
        .hasMessageContaining("AADSTS7000215");
  }

  private ClientSecretCredential credential(String clientId, String secret) {
    HttpClient http =
        new NettyAsyncHttpClientBuilder(
                reactor.netty.http.client.HttpClient.create()
                    .secure(
                        s -> {
                          try {
                            s.sslContext(SslContextBuilder.forClient().trustManager(cert).build());
                          } catch (javax.net.ssl.SSLException e) {
                            throw new IllegalStateException(e);
                          }
                        }))
            .build();
    return new ClientSecretCredentialBuilder()
        .authorityHost("https://127.0.0.1:" + port)
        .tenantId(TENANT)
        .clientId(clientId)
        .clientSecret(secret)
        .httpClient(http)
        // MSAL would otherwise ask login.microsoftonline.com about this unknown host.
        .disableInstanceDiscovery()
        .build();
  }

  private Path selfSignedKeystore() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Exec.Result p =
        Exec.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "berth",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=IP:127.0.0.1,DNS:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit")
            .timeout(Duration.ofSeconds(60))
            .run();
    assertThat(p.exit()).as(p.output()).isZero();
    return keystore;
  }
}
