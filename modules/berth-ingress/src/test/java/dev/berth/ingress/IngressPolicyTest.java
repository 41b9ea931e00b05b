package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.net.IpRange;
import dev.berth.testing.LoopbackServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An app's ingress policy at the edge, on loopback (the client is 127.0.0.1): IP restrictions on
 * the peer address, internal ingress, CORS and sticky sessions.
 */
class IngressPolicyTest {

  private static final String HOST = "api.env.localhost";
  private IngressFixture ingress;
  private LoopbackServer app;
  private LoopbackServer other;
  private final AtomicInteger reached = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    ingress = IngressFixture.http();
    app = LoopbackServer.http(this::answer);
    other = LoopbackServer.http(this::answer);
  }

  @AfterEach
  void stop() throws Exception {
    other.close();
    app.close();
    ingress.close();
  }

  private boolean answer(Request request, Response response, Callback callback) {
    reached.incrementAndGet();
    response.getHeaders().put("X-Port", Request.getLocalPort(request));
    response.write(true, ByteBuffer.wrap("app\n".getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  private void serve(IngressPolicy policy) {
    ingress.routes.put(HOST, IngressFixture.servedBy("api", app).withPolicy(policy));
  }

  private static IngressPolicy ip(boolean allow, String... ranges) {
    return new IngressPolicy(
        false,
        java.util.Arrays.stream(ranges).map(IpRange::parse).toList(),
        allow,
        false,
        Optional.empty(),
        false);
  }

  @Test
  void anAllowRuleLetsInOnlyTheClientsItCovers() throws Exception {
    serve(ip(true, "127.0.0.0/8"));
    assertThat(ingress.get(HOST, "/").getStatus()).isEqualTo(200);

    serve(ip(true, "10.0.0.0/8", "192.168.0.1"));
    ContentResponse refused = ingress.get(HOST, "/");

    assertThat(refused.getStatus()).isEqualTo(403);
    assertThat(refused.getContentAsString())
        .isEqualTo(
            "Container app api does not accept requests from 127.0.0.1 (its"
                + " ipSecurityRestrictions).\n");
  }

  @Test
  void aDenyRuleRefusesTheClientsItCoversAndNoOthers() throws Exception {
    serve(ip(false, "10.0.0.0/8"));
    assertThat(ingress.get(HOST, "/").getStatus()).isEqualTo(200);

    serve(ip(false, "127.0.0.1/32"));
    assertThat(ingress.get(HOST, "/").getStatus()).isEqualTo(403);
    assertThat(reached).hasValue(1);
  }

  @Test
  void theRulesJudgeThePeerNotXForwardedFor() throws Exception {
    serve(ip(true, "203.0.113.0/24"));

    ContentResponse spoofed =
        ingress.request(HOST, "/").headers(h -> h.put("X-Forwarded-For", "203.0.113.5")).send();

    assertThat(spoofed.getStatus()).isEqualTo(403);
  }

  @Test
  void aRefusedClientIsRefusedOverPlainHttpBeforeAnyRedirect() throws Exception {
    ingress.routes.put(
        HOST,
        AppRoute.serving("api", false, List.of(new Backend("127.0.0.1", app.port())))
            .withPolicy(ip(false, "127.0.0.1")));

    assertThat(ingress.get(HOST, "/").getStatus()).isEqualTo(403);
  }

  @Test
  void anInternalAppIsUnknownToCallersOutsideItsEnvironment() throws Exception {
    serve(IngressPolicy.OPEN.withInternal(true));

    ContentResponse outside = ingress.get(HOST, "/");

    assertThat(outside.getStatus()).isEqualTo(404);
    assertThat(outside.getContentAsString()).contains("internal ingress is reachable only from");
    assertThat(reached).hasValue(0);
  }

  @Test
  void anInternalAppAnswersRequestsFromTheEnvironment() throws Exception {
    try (IngressFixture inside =
        new IngressFixture(IngressSettings.defaults(), false, caller -> true)) {
      inside.routes.put(
          HOST,
          IngressFixture.servedBy("api", app).withPolicy(IngressPolicy.OPEN.withInternal(true)));

      assertThat(inside.get(HOST, "/").getStatus()).isEqualTo(200);
    }
  }

  @Test
  void anInternalAppAnswersOnlyTheReplicasOfItsOwnEnvironment() throws Exception {
    try (IngressFixture network =
        new IngressFixture(IngressSettings.defaults(), false, caller -> true)) {
      // The caller (127.0.0.1) came in on the environments' network, but is not one of this
      // app's environment's replicas: another environment's, say.
      network.routes.put(
          HOST,
          IngressFixture.servedBy("api", app)
              .withPolicy(IngressPolicy.OPEN.withInternal(true).withInsiders(Set.of("10.0.0.7"))));
      ContentResponse stranger = network.get(HOST, "/");
      network.routes.put(
          HOST,
          IngressFixture.servedBy("api", app)
              .withPolicy(IngressPolicy.OPEN.withInternal(true).withInsiders(Set.of("127.0.0.1"))));
      ContentResponse insider = network.get(HOST, "/");

      assertThat(stranger.getStatus()).isEqualTo(404);
      assertThat(stranger.getContentAsString()).contains("for callers outside its environment");
      assertThat(insider.getStatus()).isEqualTo(200);
      assertThat(reached).hasValue(1);
    }
  }

  /** CORS for {@code origins}, with fixed methods, headers and max age (RelayedAnswerTest too). */
  static IngressPolicy cors(boolean credentials, String... origins) {
    return new IngressPolicy(
        false,
        List.of(),
        false,
        false,
        Optional.of(
            CorsPolicy.of(
                List.of(origins),
                List.of("GET", "PUT"),
                List.of("X-Custom", "Content-Type"),
                List.of("X-Port"),
                600,
                credentials)),
        false);
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredAtTheEdge() throws Exception {
    serve(cors(true, "https://app.example.com"));

    ContentResponse preflight =
        ingress
            .request(HOST, "/things")
            .method("OPTIONS")
            .headers(
                h -> {
                  h.put("Origin", "https://APP.example.com");
                  h.put("Access-Control-Request-Method", "PUT");
                })
            .send();

    assertThat(preflight.getStatus()).isEqualTo(200);
    assertThat(preflight.getHeaders().get("Access-Control-Allow-Origin"))
        .isEqualTo("https://APP.example.com");
    assertThat(preflight.getHeaders().get("Access-Control-Allow-Methods")).isEqualTo("GET, PUT");
    assertThat(preflight.getHeaders().get("Access-Control-Allow-Headers"))
        .isEqualTo("X-Custom, Content-Type");
    assertThat(preflight.getHeaders().get("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(preflight.getHeaders().get("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(reached).hasValue(0);
  }

  @Test
  void aRequestFromAnAllowedOriginGetsTheCorsHeadersOnTheAppsAnswer() throws Exception {
    serve(cors(false, "*"));

    ContentResponse r =
        ingress.request(HOST, "/").headers(h -> h.put("Origin", "http://any.test")).send();

    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getContentAsString()).isEqualTo("app\n");
    assertThat(r.getHeaders().get("Access-Control-Allow-Origin")).isEqualTo("http://any.test");
    assertThat(r.getHeaders().get("Access-Control-Expose-Headers")).isEqualTo("X-Port");
    assertThat(r.getHeaders().get("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void anOriginThePolicyDoesNotNameGetsNoCorsHeadersAndItsPreflightGoesToTheApp() throws Exception {
    serve(cors(false, "https://app.example.com"));

    ContentResponse r =
        ingress
            .request(HOST, "/")
            .method("OPTIONS")
            .headers(
                h -> {
                  h.put("Origin", "https://evil.example");
                  h.put("Access-Control-Request-Method", "PUT");
                })
            .send();

    assertThat(r.getHeaders().get("Access-Control-Allow-Origin")).isNull();
    assertThat(reached).hasValue(1);
  }

  private static IngressPolicy sticky() {
    return new IngressPolicy(false, List.of(), false, true, Optional.empty(), false);
  }

  @Test
  void aStickyClientStaysOnItsReplica() throws Exception {
    ingress.routes.put(HOST, IngressFixture.servedBy("api", app, other).withPolicy(sticky()));

    ContentResponse first = ingress.get(HOST, "/");
    String cookie = first.getHeaders().get("Set-Cookie");
    assertThat(cookie).startsWith("berth-affinity=").contains("HttpOnly");
    String pair = cookie.substring(0, cookie.indexOf(';'));
    String replica = first.getHeaders().get("X-Port");

    for (int i = 0; i < 6; i++) {
      ContentResponse again =
          ingress.request(HOST, "/").headers(h -> h.put("Cookie", "a=b; " + pair)).send();
      assertThat(again.getHeaders().get("X-Port")).isEqualTo(replica);
      assertThat(again.getHeaders().get("Set-Cookie")).isNull();
    }
    // Without the cookie, round robin moves on.
    assertThat(ingress.get(HOST, "/").getHeaders().get("X-Port")).isNotEqualTo(replica);
  }

  @Test
  void aClientWhoseReplicaIsGoneIsPinnedToAnother() throws Exception {
    ingress.routes.put(HOST, IngressFixture.servedBy("api", app, other).withPolicy(sticky()));
    ContentResponse first = ingress.get(HOST, "/");
    String cookie = first.getHeaders().get("Set-Cookie");
    String pair = cookie.substring(0, cookie.indexOf(';'));
    LoopbackServer remaining =
        first.getHeaders().get("X-Port").equals(Integer.toString(app.port())) ? other : app;
    ingress.routes.put(HOST, IngressFixture.servedBy("api", remaining).withPolicy(sticky()));

    ContentResponse moved = ingress.request(HOST, "/").headers(h -> h.put("Cookie", pair)).send();

    assertThat(moved.getHeaders().get("X-Port")).isEqualTo(Integer.toString(remaining.port()));
    assertThat(moved.getHeaders().get("Set-Cookie")).startsWith("berth-affinity=");
  }

  @Test
  void withoutStickySessionsNoCookieIsSet() throws Exception {
    serve(IngressPolicy.OPEN);

    assertThat(ingress.get(HOST, "/").getHeaders().get("Set-Cookie")).isNull();
  }
}
