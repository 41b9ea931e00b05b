package dev.berth.controlplane.providers.app;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.internal.ArmRoute;
import dev.berth.controlplane.providers.app.internal.SequentialOutboundAddresses;
import dev.berth.controlplane.providers.app.internal.StreamTokens;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.controlplane.support.Fakes;
import dev.berth.http.Json;
import dev.berth.http.Route;
import dev.berth.store.Precondition;
import dev.berth.testing.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code getAuthToken} and the event and log streams az reads with its token, through the real ARM
 * chain (real RBAC over the store, real stream tokens): who may get a token, what the streams
 * answer with one, and — for every stream route in the route table — that no stream answers without
 * a valid token for exactly its resource (401, the code that says why, a Bearer challenge).
 */
class LogStreamTokenTest {

  private static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg1";
  private static final String APP = RG + "/providers/Microsoft.App/containerApps/app1";
  private static final String APP2 = RG + "/providers/Microsoft.App/containerApps/app2";
  private static final String ENV = RG + "/providers/Microsoft.App/managedEnvironments/env1";
  private static final String GA = "?api-version=2023-05-01";

  /** The app's and the environment's streams, as az builds their URLs. */
  private static final String APP_EVENTS =
      "/subscriptions/" + SUB + "/resourceGroups/rg1/containerApps/app1/eventstream";

  private static final String APP_CONSOLE =
      "/subscriptions/"
          + SUB
          + "/resourceGroups/rg1/containerApps/app1/revisions/app1--r1/replicas/x1/containers/api/logstream";
  private static final String ENV_EVENTS =
      "/subscriptions/" + SUB + "/resourceGroups/rg1/managedEnvironments/env1/eventstream";

  private static final ManualClock CLOCK = new ManualClock(Instant.now());
  private static ArmServer arm;

  /** Logs that answer for any app: one event, two console lines. */
  private static final LogStreams LOGS =
      new LogStreams() {
        @Override
        public Optional<Writer> open(Request r) {
          return Optional.of(
              out -> out.write("line one\nline \"two\"\n".getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Writer events(List<ResourceId> apps, int tail, boolean follow) {
          return out -> {
            if (follow && tail == 0) {
              // Following with no history: the first event comes later.
              sleep(Duration.ofSeconds(3));
            }
            for (ResourceId app : apps) {
              out.write(
                  ("{\"ContainerAppName\":\"" + app.name() + "\"}\n")
                      .getBytes(StandardCharsets.UTF_8));
            }
          };
        }
      };

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
    LogStreamAccess streams = LogStreamAccess.of(URI.create("https://127.0.0.1:1"), CLOCK);
    arm =
        ArmServer.withTypes(
            store -> {
              List<ResourceType> types = new ArrayList<>();
              types.addAll(
                  AppProvider.managedEnvironmentTypes(
                      store, new SequentialOutboundAddresses(10), sealer, LOGS, streams));
              types.addAll(
                  AppProvider.containerAppTypes(
                      store,
                      Fakes.TENANT,
                      Clock.systemUTC(),
                      AppProvider.PROVISIONING_TIMEOUT,
                      sealer,
                      LOGS,
                      streams,
                      AppTeardown.NONE));
              return types;
            });
    arm.put(
        "/subscriptions/" + SUB + "/resourcegroups/rg1?api-version=2021-04-01",
        "owner",
        "{\"location\":\"local\"}");
    // The streams need the documents only; no revision has to run for these tests.
    for (String id : List.of(ENV, APP, APP2)) {
      ResourceId rid = ResourceId.parse(id);
      ObjectNode doc = Json.object().put("id", id).put("name", rid.name()).put("type", rid.type());
      doc.put("location", "local").putObject("properties").put("environmentId", ENV);
      arm.store.put(rid, doc, Precondition.NONE);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  private static String token(String resource) throws Exception {
    Reply r = arm.send("POST", resource + "/getAuthToken" + GA, "owner", null);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    return r.json().at("/properties/token").asText();
  }

  private static Reply stream(String path, String authorization) throws Exception {
    return authorization == null
        ? arm.send("GET", path, null, null)
        : arm.send("GET", path, null, null, "Authorization", authorization);
  }

  @Test
  void getAuthTokenAnswersTheTokenAndItsExpiryInACAsShape() throws Exception {
    Reply r = arm.send("POST", APP + "/getAuthToken" + GA, "owner", null);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("id").asText()).isEqualTo(APP);
    assertThat(body.path("name").asText()).isEqualTo("app1");
    assertThat(body.path("type").asText()).isEqualTo("Microsoft.App/containerApps/accesstoken");
    assertThat(body.path("location").asText()).isEqualTo("local");
    assertThat(body.at("/properties/token").asText()).startsWith("bst1.");
    Instant expires = Instant.parse(body.at("/properties/expires").asText());
    assertThat(expires)
        .isAfter(CLOCK.instant())
        .isBefore(CLOCK.instant().plus(Duration.ofMinutes(16)));

    Reply env = arm.send("POST", ENV + "/getAuthToken" + GA, "owner", null);
    assertThat(env.status()).isEqualTo(200);
    assertThat(env.json().path("type").asText())
        .isEqualTo("Microsoft.App/environments/accesstoken");
  }

  @Test
  void aReaderGetsNoTokenForAnAppNorAnEnvironment() throws Exception {
    for (String resource : List.of(APP, ENV)) {
      Reply r = arm.send("POST", resource + "/getAuthToken" + GA, "reader", null);
      assertThat(r.status()).as(resource).isEqualTo(403);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
      assertThat(r.raw().body()).contains("getAuthToken/action");
    }
  }

  @Test
  void theEventStreamEndpointsPointAtBerthsOwnHost() throws Exception {
    Reply app = arm.get(APP + GA, "owner");
    assertThat(app.json().at("/properties/eventStreamEndpoint").asText())
        .as(app.raw().body())
        .isEqualTo("https://127.0.0.1:1" + APP_EVENTS);
    Reply env = arm.get(ENV + GA, "owner");
    assertThat(env.json().at("/properties/eventStreamEndpoint").asText())
        .isEqualTo("https://127.0.0.1:1" + ENV_EVENTS);
  }

  @Test
  void withTheirTokensTheStreamsAnswerInAzsFormats() throws Exception {
    String app = "Bearer " + token(APP);
    String env = "Bearer " + token(ENV);

    Reply events = stream(APP_EVENTS + "?follow=false&output=json&tailLines=20", app);
    assertThat(events.status()).as(events.raw().body()).isEqualTo(200);
    assertThat(events.raw().body()).isEqualTo("{\"ContainerAppName\":\"app1\"}\n");

    Reply json = stream(APP_CONSOLE + "?follow=false&output=json&tailLines=20", app);
    assertThat(json.status()).isEqualTo(200);
    String[] lines = json.raw().body().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode second = Json.MAPPER.readTree(lines[1]);
    assertThat(second.path("Log").asText()).isEqualTo("line \"two\"");
    assertThat(second.path("TimeStamp").asText()).isNotEmpty();

    Reply text = stream(APP_CONSOLE + "?follow=false&output=text&tailLines=20", app);
    assertThat(text.raw().body()).isEqualTo("line one\nline \"two\"\n");

    Reply all = stream(ENV_EVENTS + "?follow=false&tailLines=20", env);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.raw().body()).contains("\"app1\"").contains("\"app2\"");

    Reply bad = stream(APP_CONSOLE + "?tailLines=301", app);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/code").asText()).isEqualTo("InvalidParameter");
  }

  @Test
  void aFollowedStreamAnswersItsHeadersBeforeItsFirstEvent() throws Exception {
    String app = "Bearer " + token(APP);
    long start = System.nanoTime();
    var response =
        java.net.http.HttpClient.newHttpClient()
            .sendAsync(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(arm.base() + APP_EVENTS + "?follow=true&tailLines=0"))
                    .header("Authorization", app)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines())
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    Duration headers = Duration.ofNanos(System.nanoTime() - start);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(headers)
        .as("az waits for the headers before it prints")
        .isLessThan(Duration.ofSeconds(2));
    assertThat(response.body().toList()).containsExactly("{\"ContainerAppName\":\"app1\"}");
  }

  /** A way in without the right token, and the code ARM's 401 must carry. */
  record Attack(String name, String authorization, String code) {}

  @Test
  void noStreamAnswersWithoutAValidTokenForItsOwnResource() throws Exception {
    String appToken = token(APP);
    String envToken = token(ENV);
    String app2Token = token(APP2);
    String[] parts = appToken.split("\\.");
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    (Long.MAX_VALUE / 2 + "|" + ResourceId.parse(APP).key())
                        .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    String otherKey = StreamTokens.random(Clock.systemUTC()).issue(ResourceId.parse(APP)).token();
    List<Attack> common =
        List.of(
            new Attack("no Authorization header", null, "AuthenticationFailed"),
            new Attack("Basic scheme", "Basic b3duZXI6cHc=", "AuthenticationFailed"),
            new Attack("garbage", "Bearer nothing-like-a-token", "InvalidAuthenticationToken"),
            new Attack(
                "the owner's ARM token",
                "Bearer " + arm.jwt(Fakes.OWNER),
                "InvalidAuthenticationToken"),
            new Attack(
                "a longer expiry, same signature",
                "Bearer " + forged,
                "InvalidAuthenticationToken"),
            new Attack("signed by another key", "Bearer " + otherKey, "InvalidAuthenticationToken"),
            new Attack("another app's token", "Bearer " + app2Token, "InvalidAuthenticationToken"));

    List<String> bypasses = new ArrayList<>();
    int routes = 0;
    for (Route<ArmRoute> route : arm.routes().plain().routes()) {
      String name = route.payload().name();
      if (!name.startsWith("stream.")) {
        continue;
      }
      routes++;
      boolean env = name.contains("managedEnvironments");
      String path = fill(route.template());
      List<Attack> attacks = new ArrayList<>(common);
      attacks.add(
          env
              ? new Attack("an app's token", "Bearer " + appToken, "InvalidAuthenticationToken")
              : new Attack(
                  "the environment's token", "Bearer " + envToken, "InvalidAuthenticationToken"));
      for (Attack a : attacks) {
        Reply r = stream(path, a.authorization());
        String code = r.json() == null ? null : r.json().at("/error/code").asText();
        if (r.status() != 401 || !a.code().equals(code)) {
          bypasses.add(name + " with " + a.name() + " → " + r.status() + " " + r.raw().body());
        } else if (!r.header("WWW-Authenticate").startsWith("Bearer")) {
          bypasses.add(name + " with " + a.name() + " → 401 without a Bearer challenge");
        }
      }
      // The same route with its own valid token is served: the refusals above were the token's.
      Reply ok = stream(path, "Bearer " + (env ? envToken : appToken));
      assertThat(ok.status()).as(name + " with its token: " + ok.raw().body()).isEqualTo(200);
    }
    assertThat(routes).as("stream routes in the table").isEqualTo(3);
    assertThat(bypasses).isEmpty();
  }

  @Test
  void aTokenStopsOpeningStreamsWhenItExpires() throws Exception {
    String appToken = token(APP);
    assertThat(stream(APP_EVENTS, "Bearer " + appToken).status()).isEqualTo(200);

    CLOCK.advance(StreamTokens.LIFETIME);

    Reply r = stream(APP_EVENTS, "Bearer " + appToken);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("ExpiredAuthenticationToken");
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
  }

  private static String fill(String template) {
    return template
        .replace("{subscriptionId}", SUB)
        .replace("{resourceGroupName}", "rg1")
        .replace("{resourceName}", template.contains("managedEnvironments") ? "env1" : "app1")
        .replace("{revision}", "app1--r1")
        .replace("{replica}", "x1")
        .replace("{container}", "api");
  }
}
