package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code az containerapp logs show} (console and system, {@code --follow}, {@code --tail}) and
 * {@code az containerapp env logs show} with the 0.3.41-era extension as it is, replayed request
 * for request against Berth on runc (docs/az-containerapp.md, "Logs"): az's defaults for revision,
 * replica and container, {@code getAuthToken}, the {@code eventStreamEndpoint}'s host — Berth's own
 * endpoint, which resolves and is trusted with no set-up — and the streams in the shapes az prints.
 */
class AzContainerAppLogsCallsIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.14.0/24", "bzl");

  static final String RG = "azl";
  static final String APP = "az-logs";
  static HttpdImage image;
  static AzLogCalls az;
  static String appId;

  @BeforeAll
  static void runAnAppThatWritesToItsConsole() throws Exception {
    image = HttpdImage.push(BERTH, RG, "azlacr");
    az = new AzLogCalls(BERTH, image.fx().owner);
    ObjectNode body = (ObjectNode) Https.JSON.readTree(image.appBody());
    ObjectNode container = (ObjectNode) body.at("/properties/template/containers/0");
    ArrayNode command = container.putArray("command");
    command
        .add("sh")
        .add("-c")
        .add("echo hello from api; echo second line; exec httpd -f -p 8080 -h /www");
    appId = image.fx().group(RG) + "/providers/Microsoft.App/containerApps/" + APP;
    JsonNode op = image.apps().putApp(appId, body.toString());
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
  }

  @Test
  void consoleLogsAreReadWithAzsDefaultsItsTokenAndItsFormats() throws Exception {
    az.sent.clear();
    AzLogCalls.Target target = az.consoleDefaults(appId);
    List<String> json = AzLogCalls.lines(az.logsShow(RG, APP, target, false, 20, "json"));

    String revision = appId + "/revisions/" + target.revision();
    assertThat(az.sent)
        .containsExactly(
            "GET " + appId,
            "GET " + revision + "/replicas",
            "GET " + revision,
            "GET " + revision,
            "GET " + revision + "/replicas/" + target.replica(),
            "GET " + revision + "/replicas/" + target.replica(),
            "POST " + appId + "/getAuthToken",
            "GET " + appId);
    assertThat(target.container()).isEqualTo("api");
    assertThat(json).hasSize(2);
    JsonNode first = Https.JSON.readTree(json.get(0));
    assertThat(first.path("Log").asText()).isEqualTo("hello from api");
    assertThat(first.path("TimeStamp").asText()).isNotEmpty();

    List<String> text = AzLogCalls.lines(az.logsShow(RG, APP, target, false, 20, "text"));
    assertThat(text).containsExactly("hello from api", "second line");

    List<String> tail = AzLogCalls.lines(az.logsShow(RG, APP, target, false, 1, "text"));
    assertThat(tail).containsExactly("second line");
  }

  @Test
  void theEventStreamEndpointIsBerthsOwnHostWhichResolvesWithNoDnsSetUp() throws Exception {
    String endpoint =
        az.arm("GET", appId + "?api-version=" + AzLogCalls.GA, null)
            .at("/properties/eventStreamEndpoint")
            .asText();
    URI uri = URI.create(endpoint);
    assertThat(uri.getScheme()).isEqualTo("https");
    assertThat(uri.getHost()).isEqualTo(URI.create(BERTH.baseUrl()).getHost());
    assertThat(uri.getPort()).isEqualTo(URI.create(BERTH.baseUrl()).getPort());
    assertThat(uri.getPath())
        .isEqualTo(
            "/subscriptions/"
                + BERTH.bootstrap().subscriptionId()
                + "/resourceGroups/"
                + RG
                + "/containerApps/"
                + APP
                + "/eventstream");
  }

  @Test
  void systemLogsAreTheAppsEventsAndFollowShowsNewOnes() throws Exception {
    List<String> events = AzLogCalls.lines(az.logsShow(RG, APP, null, false, 20, "json"));
    assertThat(events).isNotEmpty();
    for (String line : events) {
      JsonNode e = Https.JSON.readTree(line);
      assertThat(e.path("ContainerAppName").asText()).isEqualTo(APP);
      assertThat(e.path("Reason").asText()).isNotEmpty();
    }
    assertThat(AzLogCalls.lines(az.logsShow(RG, APP, null, false, 2, "json"))).hasSize(2);

    // --follow: the stream stays open and prints what happens next (a restart's event).
    HttpResponse<Stream<String>> follow = az.logsShow(RG, APP, null, true, 0, "json");
    assertThat(follow.statusCode()).isEqualTo(200);
    BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Stream<String> lines = follow.body()) {
                    lines.filter(l -> !l.isEmpty()).forEach(arrived::add);
                  } catch (RuntimeException e) {
                    // closed by the test
                  }
                });
    String revision = image.apps().get(appId).at("/properties/latestRevisionName").asText();
    String revisionId = appId + "/revisions/" + revision;
    List<String> before = image.apps().replicas(revisionId).findValuesAsText("name");
    az.arm(
        "POST", appId + "/revisions/" + revision + "/restart?api-version=" + AzLogCalls.GA, null);
    String line = arrived.poll(60, TimeUnit.SECONDS);
    assertThat(line).as("an event while following").isNotNull();
    assertThat(Https.JSON.readTree(line).path("ContainerAppName").asText()).isEqualTo(APP);
    follow.body().close();
    reader.interrupt();
    // The restart ends before the test does: its new replica must not start while Berth stops.
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              JsonNode replicas = image.apps().replicas(revisionId);
              return replicas.size() == 1
                  && !before.contains(replicas.get(0).path("name").asText())
                  && replicas.get(0).at("/properties/runningState").asText().equals("Running");
            });
  }

  @Test
  void environmentLogsShowTheEventsOfItsApps() throws Exception {
    String env = image.environment().substring(image.environment().lastIndexOf('/') + 1);
    az.sent.clear();
    List<String> events = AzLogCalls.lines(az.envLogsShow(RG, env, false, 20));

    assertThat(az.sent)
        .containsExactly(
            "GET " + image.environment(), "POST " + image.environment() + "/getAuthToken");
    assertThat(events).isNotEmpty();
    assertThat(events).anyMatch(l -> l.contains("\"ContainerAppName\":\"" + APP + "\""));
  }

  @Test
  void aReaderGetsNoTokenAndABadTokenGetsNoStream() throws Exception {
    Principals principals = new Principals(image.fx().https, image.fx().boot, image.fx().owner);
    String reader =
        principals.withRole("acdd72a7-3385-48ef-bd42-f606fba81ae7", image.fx().group(RG)).token();
    AzLogCalls readerAz = new AzLogCalls(BERTH, reader);
    assertThatThrownBy(() -> readerAz.authToken(appId))
        .isInstanceOfSatisfying(
            AzCalls.AzError.class,
            e -> {
              assertThat(e.status).isEqualTo(403);
              assertThat(e.code).isEqualTo("AuthorizationFailed");
            });

    String endpoint =
        az.arm("GET", appId + "?api-version=" + AzLogCalls.GA, null)
            .at("/properties/eventStreamEndpoint")
            .asText();
    // The ARM token is not a stream token.
    HttpResponse<Stream<String>> r = az.stream(endpoint + "?follow=false", image.fx().owner);
    assertThat(r.statusCode()).isEqualTo(401);
    String body;
    try (Stream<String> lines = r.body()) {
      body = String.join("\n", lines.toList());
    }
    assertThat(Https.JSON.readTree(body).at("/error/code").asText())
        .isEqualTo("InvalidAuthenticationToken");
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
  }
}
