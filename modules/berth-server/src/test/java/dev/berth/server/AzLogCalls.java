package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The requests of {@code az containerapp logs show}, {@code az containerapp env logs show} and
 * {@code az containerapp env create} with its defaults, as the 0.3.41-era extension and az 2.45's
 * SDKs send them (docs/az-containerapp.md, "Logs" and "Environments"), rebuilt request for request
 * so tests can replay them against Berth: ARM calls with the ARM token, then the stream at the
 * {@code eventStreamEndpoint}'s host with {@code Authorization: Bearer <getAuthToken token>} and
 * the query {@code follow}, {@code output}, {@code tailLines} in the order {@code requests} writes
 * them. Records each ARM request as {@code "METHOD path"}. Not thread-safe.
 */
final class AzLogCalls {

  /** The GA client's version, which {@code get_auth_token} and the GETs use. */
  static final String GA = AzCalls.GA;

  /** az 2.45's {@code azure-mgmt-loganalytics} 13.0.0b6: workspaces, and shared keys. */
  static final String WORKSPACES = "2022-10-01";

  static final String SHARED_KEYS = "2020-08-01";

  private final Https https;
  private final HttpClient streams;
  private final String token;
  private final String subscription;
  final List<String> sent = new ArrayList<>();

  AzLogCalls(RunningBerth berth, String token) throws Exception {
    this.https = new Https(berth.caFile(), berth.baseUrl());
    this.streams =
        HttpClient.newBuilder()
            .sslContext(Https.trusting(berth.caFile()))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.token = token;
    this.subscription = berth.bootstrap().subscriptionId();
  }

  String group(String rg) {
    return "/subscriptions/" + subscription + "/resourceGroups/" + rg;
  }

  /**
   * What az's {@code _set_ssh_defaults} and its three checks choose: revision, replica, container.
   */
  record Target(String revision, String replica, String container) {}

  /**
   * {@code validate_ssh} for {@code logs show --type console} with no {@code --revision}, {@code
   * --replica} nor {@code --container}: the app's latest revision, its first replica, the
   * revision's first container, each then read back.
   */
  Target consoleDefaults(String appId) throws Exception {
    JsonNode app = arm("GET", appId + "?api-version=" + GA, null);
    String revision = app.at("/properties/latestRevisionName").asText();
    assertThat(revision).as("az: Could not find a revision").isNotEmpty();
    String revisionId = appId + "/revisions/" + revision;
    JsonNode replicas = arm("GET", revisionId + "/replicas?api-version=" + GA, null).path("value");
    assertThat(replicas).as("az: Could not find a replica for this app").isNotEmpty();
    String replica = replicas.get(0).path("name").asText();
    JsonNode rev = arm("GET", revisionId + "?api-version=" + GA, null);
    String container = rev.at("/properties/template/containers/0/name").asText();
    arm("GET", revisionId + "?api-version=" + GA, null);
    arm("GET", revisionId + "/replicas/" + replica + "?api-version=" + GA, null);
    JsonNode containers =
        arm("GET", revisionId + "/replicas/" + replica + "?api-version=" + GA, null)
            .at("/properties/containers");
    assertThat(containers.findValuesAsText("name"))
        .as("az: Could not find container")
        .anyMatch(n -> n.equalsIgnoreCase(container));
    return new Target(revision, replica, container);
  }

  /**
   * {@code ContainerAppClient.get_auth_token} / {@code ManagedEnvironmentClient.get_auth_token}.
   */
  String authToken(String resourceId) throws Exception {
    return arm("POST", resourceId + "/getAuthToken?api-version=" + GA, null)
        .at("/properties/token")
        .asText();
  }

  /**
   * {@code stream_containerapp_logs}: token, the app's {@code eventStreamEndpoint} up to {@code
   * /subscriptions/}, then the console log stream ({@code target} given) or the event stream.
   */
  HttpResponse<Stream<String>> logsShow(
      String rg, String name, Target target, boolean follow, int tail, String format)
      throws Exception {
    String appId = group(rg) + "/providers/Microsoft.App/containerApps/" + name;
    String streamToken = authToken(appId);
    String endpoint =
        arm("GET", appId + "?api-version=" + GA, null)
            .at("/properties/eventStreamEndpoint")
            .asText();
    String base = endpoint.substring(0, endpoint.indexOf("/subscriptions/"));
    String url =
        base
            + "/subscriptions/"
            + subscription
            + "/resourceGroups/"
            + rg
            + "/containerApps/"
            + name
            + (target == null
                ? "/eventstream"
                : "/revisions/"
                    + target.revision()
                    + "/replicas/"
                    + target.replica()
                    + "/containers/"
                    + target.container()
                    + "/logstream");
    return stream(
        url + "?follow=" + follow + "&output=" + format + "&tailLines=" + tail, streamToken);
  }

  /** {@code stream_environment_logs}: the environment's {@code eventStreamEndpoint} as it is. */
  HttpResponse<Stream<String>> envLogsShow(String rg, String name, boolean follow, int tail)
      throws Exception {
    String envId = group(rg) + "/providers/Microsoft.App/managedEnvironments/" + name;
    String url =
        arm("GET", envId + "?api-version=" + GA, null)
            .at("/properties/eventStreamEndpoint")
            .asText();
    assertThat(url)
        .as("az falls back to <location>.azurecontainerapps.dev without it")
        .isNotEmpty();
    String streamToken = authToken(envId);
    return stream(url + "?follow=" + follow + "&tailLines=" + tail, streamToken);
  }

  /** {@code requests.get(url, stream=True, headers={"Authorization": "Bearer …"})}. */
  HttpResponse<Stream<String>> stream(String url, String bearer) throws Exception {
    return streams.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + bearer)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofLines());
  }

  /** What az prints of a stream: its non-empty lines. */
  static List<String> lines(HttpResponse<Stream<String>> r) {
    assertThat(r.statusCode()).as("az: Got bad status from the logstream API").isEqualTo(200);
    try (Stream<String> body = r.body()) {
      return body.filter(l -> !l.isEmpty()).toList();
    }
  }

  /**
   * {@code az containerapp env create -n NAME -g RG} with its defaults: the providers' checks, a
   * new Log Analytics workspace ({@code _generate_log_analytics_if_not_provided}), its customer id
   * and primary key into {@code appLogsConfiguration}, the environment's PUT, az's polling.
   *
   * @return the environment as az prints it
   */
  JsonNode envCreate(String rg, String name, String location, String workspace) throws Exception {
    String sub = "/subscriptions/" + subscription;
    checkRegistered(sub + "/providers/Microsoft.App");
    checkRegistered(sub + "/providers/Microsoft.OperationalInsights");
    // _ensure_location_allowed(location, Microsoft.OperationalInsights, workspaces)
    JsonNode insights =
        arm(
            "GET",
            sub + "/providers/Microsoft.OperationalInsights?api-version=" + AzCalls.RESOURCES,
            null);
    assertThat(locations(insights, "workspaces")).contains(location);
    String workspaceId =
        group(rg).replace("/resourceGroups/", "/resourcegroups/")
            + "/providers/Microsoft.OperationalInsights/workspaces/"
            + workspace;
    ObjectNode ws = Https.JSON.createObjectNode().put("location", location);
    JsonNode created = arm("PUT", workspaceId + "?api-version=" + WORKSPACES, ws.toString());
    // ARMPolling: no operation header and a terminal provisioningState end the poller at once.
    assertThat(created.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    String customerId = created.at("/properties/customerId").asText();
    String key =
        arm("POST", workspaceId + "/sharedKeys?api-version=" + SHARED_KEYS, null)
            .path("primarySharedKey")
            .asText();
    JsonNode app =
        arm("GET", sub + "/providers/Microsoft.App?api-version=" + AzCalls.RESOURCES, null);
    assertThat(locations(app, "managedEnvironments")).contains(location);

    ObjectNode env = Https.JSON.createObjectNode().put("location", location).putNull("tags");
    ObjectNode p = env.putObject("properties");
    p.putNull("daprAIInstrumentationKey").putNull("vnetConfiguration");
    ObjectNode logs = p.putObject("appLogsConfiguration").put("destination", "log-analytics");
    logs.putObject("logAnalyticsConfiguration").put("customerId", customerId).put("sharedKey", key);
    p.putNull("customDomainConfiguration");
    p.putArray("workloadProfiles")
        .addObject()
        .put("workloadProfileType", "Consumption")
        .put("name", "Consumption");
    p.put("zoneRedundant", false);
    String envId = group(rg) + "/providers/Microsoft.App/managedEnvironments/" + name;
    HttpResponse<String> r = send("PUT", envId + "?api-version=" + AzCalls.PREVIEW, env.toString());
    ok(r);
    if (r.statusCode() == 201) {
      String operation = r.headers().firstValue("Azure-AsyncOperation").orElseThrow();
      // As az polls: until Succeeded; Failed or Canceled ends the wait at once.
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                JsonNode poll =
                    arm("GET", operation.substring(operation.indexOf("/subscriptions/")), null);
                String status = poll.path("status").asText();
                assertThat(status).as(poll.toString()).isNotIn("Failed", "Canceled");
                return status.equalsIgnoreCase("Succeeded");
              });
    }
    return arm("GET", envId + "?api-version=" + AzCalls.PREVIEW, null);
  }

  private void checkRegistered(String provider) throws Exception {
    JsonNode p = arm("GET", provider + "?api-version=" + AzCalls.RESOURCES, null);
    assertThat(p.path("registrationState").asText()).as(provider).isEqualTo("Registered");
  }

  private static List<String> locations(JsonNode provider, String type) {
    List<String> out = new ArrayList<>();
    for (JsonNode t : provider.path("resourceTypes")) {
      if (t.path("resourceType").asText().equals(type)) {
        t.path("locations")
            .forEach(l -> out.add(l.asText().toLowerCase(Locale.ROOT).replace(" ", "")));
      }
    }
    return out;
  }

  JsonNode arm(String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    ok(r);
    return r.body().isBlank() ? Https.JSON.nullNode() : Https.json(r);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    sent.add(method + " " + path.replaceFirst("\\?.*", ""));
    return https.send(method, path, token, body);
  }

  private static void ok(HttpResponse<String> r) throws Exception {
    if (r.statusCode() >= 400) {
      JsonNode e = Https.json(r).path("error");
      throw new AzCalls.AzError(
          r.statusCode(), e.path("code").asText(), e.path("message").asText());
    }
  }
}
