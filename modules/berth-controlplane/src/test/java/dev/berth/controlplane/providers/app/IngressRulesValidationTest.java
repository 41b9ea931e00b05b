package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.providers.app.AppFixture.APPS;
import static dev.berth.controlplane.providers.app.AppFixture.V;
import static dev.berth.controlplane.providers.app.AppFixture.app;
import static dev.berth.controlplane.providers.app.AppFixture.configuration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.http.Json;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad {@code ipSecurityRestrictions}, {@code stickySessions}, {@code corsPolicy}, {@code transport
 * tcp} and {@code exposedPort} are ARM 400s naming the field, on PUT and on PATCH; good ones are
 * stored normalised; an internal app's names sit under {@code internal.<domain>}.
 */
class IngressRulesValidationTest {

  private static final String AT = "properties.configuration.ingress.";
  private static AppFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new AppFixture();
    ObjectNode body = app();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v1");
    configuration(body).putObject("ingress").put("targetPort", 80).put("external", true);
    assertThat(f.put("app1", body).status()).isEqualTo(201);
    f.running("app1", "app1--v1");
    f.arm.settled(APPS + "/app1" + V);
  }

  @AfterAll
  static void stop() throws Exception {
    f.close();
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        bad(
            "a range that is no CIDR",
            i -> {
              i.putArray("ipSecurityRestrictions")
                  .add(rule("a", "10.0.0.0/8", "Allow"))
                  .add(rule("b", "10.0.0.300", "Allow"));
            },
            AT + "ipSecurityRestrictions[1].ipAddressRange",
            "'10.0.0.300' is not an IP address"),
        bad(
            "a prefix too long",
            i -> i.putArray("ipSecurityRestrictions").add(rule("a", "10.0.0.0/33", "Deny")),
            AT + "ipSecurityRestrictions[0].ipAddressRange",
            "0-32"),
        bad(
            "mixed actions",
            i ->
                i.putArray("ipSecurityRestrictions")
                    .add(rule("a", "10.0.0.0/8", "Allow"))
                    .add(rule("b", "192.168.0.1", "Deny")),
            AT + "ipSecurityRestrictions[1].action",
            "same action"),
        bad(
            "an unknown action",
            i -> i.putArray("ipSecurityRestrictions").add(rule("a", "10.0.0.0/8", "Block")),
            AT + "ipSecurityRestrictions[0].action",
            "'Block' is not an action"),
        bad(
            "a rule without a name",
            i -> i.putArray("ipSecurityRestrictions").add(rule("", "10.0.0.0/8", "Allow")),
            AT + "ipSecurityRestrictions[0].name",
            "needs a name"),
        bad(
            "restrictions that are no array",
            i -> i.put("ipSecurityRestrictions", "10.0.0.0/8"),
            AT + "ipSecurityRestrictions",
            "Does not conform"),
        bad(
            "an unknown affinity",
            i -> i.putObject("stickySessions").put("affinity", "always"),
            AT + "stickySessions.affinity",
            "'always' is not an affinity"),
        bad(
            "CORS without origins",
            i -> i.putObject("corsPolicy").putArray("allowedMethods").add("GET"),
            AT + "corsPolicy.allowedOrigins",
            "allowedOrigins is required"),
        bad(
            "a CORS origin without a scheme",
            i -> i.putObject("corsPolicy").putArray("allowedOrigins").add("example.com"),
            AT + "corsPolicy.allowedOrigins[0]",
            "'example.com' is not an origin"),
        bad(
            "a negative CORS maxAge",
            i -> {
              ObjectNode cors = i.putObject("corsPolicy").put("maxAge", -1);
              cors.putArray("allowedOrigins").add("*");
            },
            AT + "corsPolicy.maxAge",
            "not -1"),
        bad(
            "CORS methods that are no strings",
            i -> {
              ObjectNode cors = i.putObject("corsPolicy");
              cors.putArray("allowedOrigins").add("*");
              cors.putArray("allowedMethods").add(7);
            },
            AT + "corsPolicy.allowedMethods[0]",
            "Does not conform"),
        bad(
            "a CORS method with a line break, which would end the preflight's header",
            i -> cors(i).putArray("allowedMethods").add("GET\r\nX-Injected: 1"),
            AT + "corsPolicy.allowedMethods[0]",
            "is not a method name"),
        bad(
            "a CORS method with a NUL",
            i -> cors(i).putArray("allowedMethods").add("GET\u0000"),
            AT + "corsPolicy.allowedMethods[0]",
            "is not a method name"),
        bad(
            "a CORS header name with a space",
            i -> cors(i).putArray("allowedHeaders").add("X-A, X-B"),
            AT + "corsPolicy.allowedHeaders[0]",
            "is not a header name"),
        bad(
            "an exposed header with a control character",
            i -> cors(i).putArray("exposeHeaders").add("X-A\u0001"),
            AT + "corsPolicy.exposeHeaders[0]",
            "is not a header name"),
        bad(
            "a CORS origin with a line break",
            i -> cors(i).putArray("allowedOrigins").add("https://a.example\r\nX-Injected: 1"),
            AT + "corsPolicy.allowedOrigins[0]",
            "is not an origin"),
        bad(
            "external that is no boolean",
            i -> i.put("external", "yes"),
            AT + "external",
            "Does not conform"),
        bad(
            "allowInsecure that is a number",
            i -> i.put("allowInsecure", 1),
            AT + "allowInsecure",
            "Does not conform"),
        bad(
            "TCP transport",
            i -> i.put("transport", "tcp").put("exposedPort", 5432),
            AT + "transport",
            "TCP ingress is not supported"),
        bad(
            "an exposedPort on HTTP",
            i -> i.put("exposedPort", 8080),
            AT + "exposedPort",
            "TCP ingress only"));
  }

  /** A CORS policy allowing any origin, to which a case adds its bad entry. */
  private static ObjectNode cors(ObjectNode ingress) {
    ObjectNode cors = ingress.putObject("corsPolicy");
    cors.putArray("allowedOrigins").add("*");
    return cors;
  }

  static ObjectNode rule(String name, String range, String action) {
    return Json.object().put("name", name).put("ipAddressRange", range).put("action", action);
  }

  private static Arguments bad(
      String what, Consumer<ObjectNode> ingress, String target, String says) {
    return Arguments.of(what, ingress, target, says);
  }

  @ParameterizedTest(name = "PUT: {0}")
  @MethodSource("bad")
  void aBadSettingInAPutIs400NamingTheField(
      String what, Consumer<ObjectNode> ingress, String target, String says) throws Exception {
    ObjectNode body = f.get("app1").json().deepCopy();
    ingress.accept((ObjectNode) body.at("/properties/configuration/ingress"));

    assertRefused(f.put("app1", body), target, says);
  }

  @ParameterizedTest(name = "PATCH: {0}")
  @MethodSource("bad")
  void aBadSettingInAPatchIs400NamingTheField(
      String what, Consumer<ObjectNode> ingress, String target, String says) throws Exception {
    ObjectNode patch = Json.object();
    ingress.accept(patch.putObject("properties").putObject("configuration").putObject("ingress"));

    assertRefused(f.arm.send("PATCH", APPS + "/app1" + V, "owner", patch.toString()), target, says);
  }

  @Test
  void goodSettingsAreStoredNormalised() throws Exception {
    ObjectNode body = f.get("app1").json().deepCopy();
    ObjectNode ingress = (ObjectNode) body.at("/properties/configuration/ingress");
    ingress
        .putArray("ipSecurityRestrictions")
        .add(rule("office", "203.0.113.0/24", "allow"))
        .add(rule("v6", "2001:db8::/32", "ALLOW"));
    ingress.putObject("stickySessions").put("affinity", "Sticky");
    ingress.put("external", "True"); // text a client may send: stored as the boolean it names
    ObjectNode cors = ingress.putObject("corsPolicy").put("maxAge", 600);
    cors.putArray("allowedOrigins").add("https://example.com");

    Reply r = f.put("app1", body);

    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
    JsonNode stored = f.arm.settled(APPS + "/app1" + V).json().at("/properties/configuration");
    assertThat(stored.at("/ingress/ipSecurityRestrictions/0/action").asText()).isEqualTo("Allow");
    assertThat(stored.at("/ingress/ipSecurityRestrictions/1/action").asText()).isEqualTo("Allow");
    assertThat(stored.at("/ingress/stickySessions/affinity").asText()).isEqualTo("sticky");
    assertThat(stored.at("/ingress/external").isBoolean()).isTrue();
    assertThat(stored.at("/ingress/external").booleanValue()).isTrue();
    assertThat(stored.at("/ingress/corsPolicy/allowedOrigins/0").asText())
        .isEqualTo("https://example.com");
  }

  @Test
  void anInternalAppAnswersUnderInternalDotItsDomain() throws Exception {
    ObjectNode body = app();
    ((ObjectNode) body.at("/properties/template")).put("revisionSuffix", "v1");
    configuration(body).putObject("ingress").put("targetPort", 80).put("external", false);
    assertThat(f.put("inner", body).status()).isEqualTo(201);
    f.running("inner", "inner--v1");

    JsonNode p = f.arm.settled(APPS + "/inner" + V).json().path("properties");

    assertThat(p.at("/configuration/ingress/fqdn").asText())
        .isEqualTo("inner.internal." + f.domain);
    assertThat(p.path("latestRevisionFqdn").asText()).isEqualTo("inner--v1.internal." + f.domain);
  }

  private static void assertRefused(Reply r, String target, String says) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.json().at("/error/target").asText()).isEqualTo(target);
    assertThat(r.json().at("/error/message").asText()).contains(says);
  }
}
