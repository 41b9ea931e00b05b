package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import dev.berth.http.RouteHandler;
import dev.berth.http.Router;
import dev.berth.store.memory.InMemoryResourceStore;
import dev.berth.testing.LoopbackServer;
import dev.berth.testing.TestCa;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real azure-identity {@link ClientSecretCredential} (MSAL4J underneath) logs in against
 * Berth's token endpoints over HTTPS, trusting the test CA.
 */
class ClientSecretCredentialIT {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";

  @TempDir Path dir;

  final AtomicReference<Router<RouteHandler>> router =
      new AtomicReference<>(new Router<>(List.of()));
  LoopbackServer server;
  int port;
  IdentityConfig config;
  SigningKeys keys;
  StoreDirectory directory;

  @BeforeEach
  void start() throws Exception {
    // The authority names the port, known only once the server listens: the routes come after.
    server = LoopbackServer.https(TestServer.handler(router::get));
    port = server.port();
    config =
        IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:" + port), dir.resolve("keys"));
    keys = SigningKeys.loadOrCreate(config.keyDirectory());
    directory = new StoreDirectory(new InMemoryResourceStore(), TENANT, Clock.systemUTC());
    router.set(
        new Router<>(
            new TokenEndpoints(config, directory, new TokenIssuer(config, keys), keys).routes()));
  }

  @AfterEach
  void stop() {
    server.close();
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
                            s.sslContext(
                                SslContextBuilder.forClient()
                                    .trustManager(TestCa.get().certificate())
                                    .build());
                          } catch (SSLException e) {
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
}
