package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.SocketFactory;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.StdErrAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The malformed requests of issue 10 (point 8) against the real server over TLS: each is a 4xx in
 * the envelope of the API it reached — ARM, Entra, the registry and its token service — never a
 * 5xx, and none is logged above INFO or with a stack trace.
 */
@Timeout(120)
class MalformedRequestIT {

  @RegisterExtension static final RunningBerth BERTH = new RunningBerth();

  private static BootstrapInfo boot;
  private static String owner;
  private static SocketFactory tls;
  private static int registryPort;
  private static String admin;
  private static StdErrAppender appender;
  private static PrintStream original;
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  @BeforeAll
  static void setUp() throws Exception {
    boot = BERTH.bootstrap();
    RegistryFixture registries = new RegistryFixture(BERTH);
    owner = registries.owner;
    tls = Https.trusting(BERTH.caFile()).getSocketFactory();
    String id = registries.createRegistry("rg-bad", "badinput", "{\"adminUserEnabled\":true}");
    String login = registries.loginServer(id);
    registryPort = Integer.parseInt(login.substring(login.lastIndexOf(':') + 1));
    admin =
        Base64.getEncoder()
            .encodeToString(
                ("badinput:" + registries.adminPassword(id)).getBytes(StandardCharsets.UTF_8));
    // What Berth logs from here on, kept beside the console (restored after the class).
    appender = (StdErrAppender) ((JettyLogger) LoggerFactory.getLogger("dev.berth")).getAppender();
    original = appender.getStream();
    // A null stream means "System.err at each write" to the appender.
    OutputStream console = original != null ? original : System.err;
    appender.setStream(new PrintStream(new Tee(console, LOG), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void tearDown() {
    if (appender != null) {
      appender.setStream(original);
    }
  }

  // ---- ARM and Entra (the main port) ----------------------------------------------------------

  @Test
  void aMalformedEscapeInAnArmQueryIs400InArmsEnvelope() throws Exception {
    RawHttp.Reply r = main("GET /metadata/endpoints?api-version=% HTTP/1.1\r\nHost: x\r\n\r\n");
    assertArm(r, 400, "InvalidRequestFormat");
  }

  @Test
  void aMalformedEscapeInThePathIs400InArmsEnvelope() throws Exception {
    RawHttp.Reply r =
        main("GET /subscriptions/%zz?api-version=2022-12-01 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertArm(r, 400, "InvalidRequestFormat");
  }

  @Test
  void anEncodedSlashInAnOperationIdIs400() throws Exception {
    RawHttp.Reply r =
        main(
            "GET /subscriptions/"
                + boot.subscriptionId()
                + "/providers/Microsoft.App/locations/local/operationStatuses/..%2F..%2F"
                + "?api-version=2025-07-01 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + owner
                + "\r\n\r\n");
    assertArm(r, 400, "InvalidRequestFormat");
  }

  /**
   * Over TLS a client ends a short body only by closing: its close_notify closes the TLS session,
   * so no reply can come back (the 400 itself is proven over plain HTTP in ArmInputTest and
   * DistributionInputTest). What must hold here: no 5xx and nothing logged above INFO.
   */
  @Test
  void anArmBodyShorterThanItsLengthOrBadlyChunkedIsNever5xx() throws Exception {
    String put =
        "PUT /subscriptions/"
            + boot.subscriptionId()
            + "/resourceGroups/short?api-version=2021-04-01 HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer "
            + owner
            + "\r\nContent-Type: application/json\r\n";
    RawHttp.Reply shortBody =
        send(BERTH.server().port(), put + "Content-Length: 300\r\n\r\n{\"location\":", true);
    assertThat(shortBody.status()).as(shortBody.body()).isIn(-1, 400);
    assertArm(
        send(
            BERTH.server().port(),
            put + "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"lo\r\nnot-hex\r\n",
            false),
        400,
        "InvalidRequestContent");
  }

  @Test
  void aMalformedEntraTokenFormIs400InvalidRequest() throws Exception {
    String form = "grant_type=client_credentials&client_id=%zz";
    RawHttp.Reply r =
        main(
            "POST /"
                + boot.tenantId()
                + "/oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                + " application/x-www-form-urlencoded\r\nContent-Length: "
                + form.length()
                + "\r\n\r\n"
                + form);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(json(r).path("error").asText()).isEqualTo("invalid_request");
  }

  // ---- a registry's login server --------------------------------------------------------------

  @Test
  void aMalformedEscapeInCatalogOrTagsPagingIs400() throws Exception {
    for (String target : new String[] {"/v2/_catalog?n=%zz", "/acr/v1/_catalog?n=%"}) {
      RawHttp.Reply r =
          registry(
              "GET "
                  + target
                  + " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                  + admin
                  + "\r\n\r\n",
              false);
      assertRegistry(r, 400, "PAGINATION_NUMBER_INVALID");
    }
  }

  @Test
  void aMalformedEscapeInARegistryPathIs400NameInvalid() throws Exception {
    assertRegistry(
        registry("GET /v2/a%zz/tags/list HTTP/1.1\r\nHost: x\r\n\r\n", false), 400, "NAME_INVALID");
  }

  @Test
  void aMalformedRegistryTokenFormOrASlashedUsernameIs401() throws Exception {
    String form = "grant_type=password&service=%zz&username=a&password=b";
    assertRegistry(
        registry(
            "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                + " application/x-www-form-urlencoded\r\nContent-Length: "
                + form.length()
                + "\r\n\r\n"
                + form,
            false),
        401,
        "UNAUTHORIZED");
    String slashed =
        Base64.getEncoder().encodeToString("team/../x:pw".getBytes(StandardCharsets.UTF_8));
    assertRegistry(
        registry(
            "GET /oauth2/token?service=localhost%3A"
                + registryPort
                + "&scope=repository%3Aa%3Apull HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + slashed
                + "\r\n\r\n",
            false),
        401,
        "UNAUTHORIZED");
  }

  @Test
  void anOverflowingContentRangeIs416AndAShortChunkNever5xx() throws Exception {
    RawHttp.Reply start =
        registry(
            "POST /v2/app/blobs/uploads/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + admin
                + "\r\nContent-Length: 0\r\n\r\n",
            false);
    assertThat(start.status()).as(start.body()).isEqualTo(202);
    String location = header(start, "Location");
    String patch =
        "PATCH " + location + " HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + admin + "\r\n";
    assertRegistry(
        registry(
            patch + "Content-Range: 0-99999999999999999999\r\nContent-Length: 3\r\n\r\nabc", false),
        416,
        "RANGE_INVALID");
    RawHttp.Reply shortChunk = registry(patch + "Content-Length: 100\r\n\r\nten bytes.", true);
    assertThat(shortChunk.status()).as(shortChunk.body()).isIn(-1, 400);
  }

  @Test
  void noneOfItIsLoggedAboveInfoNorWithAStackTrace() throws Exception {
    aMalformedEscapeInAnArmQueryIs400InArmsEnvelope();
    aMalformedEscapeInThePathIs400InArmsEnvelope();
    anEncodedSlashInAnOperationIdIs400();
    anArmBodyShorterThanItsLengthOrBadlyChunkedIsNever5xx();
    aMalformedEntraTokenFormIs400InvalidRequest();
    aMalformedEscapeInCatalogOrTagsPagingIs400();
    aMalformedEscapeInARegistryPathIs400NameInvalid();
    aMalformedRegistryTokenFormOrASlashedUsernameIs401();
    anOverflowingContentRangeIs416AndAShortChunkNever5xx();

    String logged = LOG.toString(StandardCharsets.UTF_8);
    assertThat(logged).doesNotContainPattern(":(WARN|ERROR)\\s*:").doesNotContain("\tat ");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static RawHttp.Reply main(String request) throws Exception {
    return send(BERTH.server().port(), request, false);
  }

  private static RawHttp.Reply registry(String request, boolean halfClose) throws Exception {
    return send(registryPort, request, halfClose);
  }

  private static RawHttp.Reply send(int port, String request, boolean halfClose) throws Exception {
    return RawHttp.send(
        tls,
        "127.0.0.1",
        port,
        request.getBytes(StandardCharsets.UTF_8),
        halfClose,
        Duration.ofSeconds(20));
  }

  private static JsonNode json(RawHttp.Reply r) throws Exception {
    return Https.JSON.readTree(r.body());
  }

  private static void assertArm(RawHttp.Reply r, int status, String code) throws Exception {
    assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
    assertThat(json(r).path("error").path("code").asText()).as(r.body()).isEqualTo(code);
  }

  private static void assertRegistry(RawHttp.Reply r, int status, String code) throws Exception {
    assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
    assertThat(json(r).path("errors").get(0).path("code").asText()).as(r.body()).isEqualTo(code);
  }

  private static String header(RawHttp.Reply r, String name) {
    for (String line : r.head().split("\r\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).strip();
      }
    }
    throw new AssertionError("no " + name + " in " + r.head());
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
