package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.memory.InMemoryResourceStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed requests to the managed-identity endpoint and the token endpoints over real HTTP: a 4xx
 * in their own {@code {error, error_description}} envelope, never a 500.
 */
@Timeout(60)
class IdentityInputTest {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";
  private static final String SECRET = "replica-secret";

  @TempDir Path keyDir;
  private TestServer identity;
  private TestServer tokens;

  @BeforeEach
  void start() throws Exception {
    IdentityConfig config = IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), keyDir);
    SigningKeys keys = SigningKeys.loadOrCreate(keyDir);
    Principal app =
        new Principal(
            "00000000-0000-4000-8000-000000000011",
            TENANT,
            "00000000-0000-4000-8000-000000000012",
            Principal.PrincipalType.ServicePrincipal,
            "web");
    // The production table over an app document, the replica's address loopback's.
    InMemoryResourceStore apps = new InMemoryResourceStore();
    ResourceId web = AppDocumentsFixture.app(apps, "web", BoundIdentity.system(app), List.of());
    ReplicaIdentityTable replicas = new ReplicaIdentityTable(AppIdentities.of(apps));
    replicas.put(
        "web--abc-1", ReplicaIdentityTable.fingerprint(SECRET), web, Optional.of("127.0.0.1"));
    identity =
        TestServer.start(
            new ManagedIdentityEndpoint(config, new TokenIssuer(config, keys), replicas).routes());
    StoreDirectory directory =
        new StoreDirectory(new InMemoryResourceStore(), TENANT, Clock.systemUTC());
    tokens =
        TestServer.start(
            new TokenEndpoints(config, directory, new TokenIssuer(config, keys), keys).routes());
  }

  @AfterEach
  void stop() throws Exception {
    identity.close();
    tokens.close();
  }

  @Test
  void aMalformedQueryOnTheIdentityEndpointIs400InvalidRequest() throws Exception {
    Reply r =
        send(
            identity,
            "GET /msi/token?api-version=%&resource=%zz HTTP/1.1\r\nHost: x\r\n"
                + "X-IDENTITY-HEADER: "
                + SECRET
                + "\r\n\r\n",
            false);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(r.json().path("error_description").asText()).contains("malformed %-escape");
  }

  @Test
  void withoutTheHeaderTheQueryIsNeverReadAndTheAnswerIs403() throws Exception {
    Reply r = send(identity, "GET /msi/token?api-version=% HTTP/1.1\r\nHost: x\r\n\r\n", false);
    assertThat(r.status()).as(r.body()).isEqualTo(403);
  }

  @Test
  void aMalformedOrShortTokenFormIs400InvalidRequest() throws Exception {
    String path = "/" + TENANT + "/oauth2/v2.0/token";
    Reply escapes =
        send(
            tokens,
            "POST "
                + path
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 14\r\n\r\ngrant_type=%zz",
            false);
    assertThat(escapes.status()).as(escapes.body()).isEqualTo(400);
    assertThat(escapes.json().path("error").asText()).isEqualTo("invalid_request");

    Reply shortBody =
        send(
            tokens,
            "POST "
                + path
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 500\r\n\r\ngrant_type=client_credentials",
            true);
    assertThat(shortBody.status()).as(shortBody.body()).isEqualTo(400);
    assertThat(shortBody.json().path("error").asText()).isEqualTo("invalid_request");
  }

  record Reply(int status, String body) {
    JsonNode json() throws Exception {
      return Json.parse(body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Reply send(TestServer server, String request, boolean halfClose) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.base().getPort()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          String text = out.toString(StandardCharsets.UTF_8);
          if (text.contains("\r\n\r\n") && text.endsWith("}")) {
            break;
          }
        }
      } catch (SocketException e) {
        // a reset after the reply still leaves the reply
      }
      String text = out.toString(StandardCharsets.UTF_8);
      return new Reply(
          Integer.parseInt(text.substring(9, 12)), text.substring(text.indexOf("\r\n\r\n") + 4));
    }
  }
}
