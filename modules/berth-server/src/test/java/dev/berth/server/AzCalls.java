package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ARM client of the {@code az containerapp} extension (0.3.41, az 2.53's {@code
 * ContainerAppClient}), rebuilt request for request so tests can replay its commands against Berth
 * (docs/az-containerapp.md): a PUT answered 201 polls {@code Azure-AsyncOperation} while it answers
 * 200 and then GETs the app; a PATCH answered 202 polls {@code Location} while it answers 202 and
 * takes the last body as the app; 400 and above is the command's error. Records each request as
 * {@code "METHOD path"} so a test can check the sequence. Not thread-safe.
 */
final class AzCalls {

  /** The GA client's version (ingress, labels, revision mode). */
  static final String GA = "2023-05-01";

  /** The extension's preview client's version ({@code containerapp update}). */
  static final String PREVIEW = "2023-05-02-preview";

  /** What az 2.53's Resources SDK sends for {@code providers.get}. */
  static final String RESOURCES = "2022-09-01";

  /** A command's failure: what az prints after {@code ERROR:}. */
  static final class AzError extends RuntimeException {
    final int status;
    final String code;

    AzError(int status, String code, String message) {
      super("(" + code + ") " + message);
      this.status = status;
      this.code = code;
    }
  }

  private final Https https;
  private final String token;
  private final String subscription;
  final List<String> sent = new ArrayList<>();

  AzCalls(Https https, String token, String subscription) {
    this.https = https;
    this.token = token;
    this.subscription = subscription;
  }

  /** {@code _validate_subscription_registered}: every command's first request. */
  void checkRegistered() throws Exception {
    JsonNode p =
        ok(
            send(
                "GET",
                "/subscriptions/"
                    + subscription
                    + "/providers/Microsoft.App?api-version="
                    + RESOURCES,
                null));
    assertThat(p.path("registrationState").asText()).isEqualTo("Registered");
  }

  ObjectNode show(String appId) throws Exception {
    return (ObjectNode) ok(send("GET", appId + "?api-version=" + GA, null));
  }

  JsonNode showRevision(String appId, String revision) throws Exception {
    return ok(send("GET", appId + "/revisions/" + revision + "?api-version=" + GA, null));
  }

  JsonNode revisionAction(String appId, String revision, String action) throws Exception {
    return ok(
        send("POST", appId + "/revisions/" + revision + "/" + action + "?api-version=" + GA, null));
  }

  /** {@code _get_existing_secrets}: puts the secrets' values back before a PUT. */
  void keepSecrets(String appId, ObjectNode app) throws Exception {
    ObjectNode config = (ObjectNode) app.at("/properties/configuration");
    if (!config.has("secrets")) {
      config.putArray("secrets");
      return;
    }
    JsonNode secrets = ok(send("POST", appId + "/listSecrets?api-version=" + GA, null));
    config.set("secrets", secrets.path("value"));
  }

  /** {@code ContainerAppClient.create_or_update}, waiting as az waits. */
  ObjectNode put(String appId, ObjectNode body) throws Exception {
    return put(appId, body, GA);
  }

  /** The same at {@code version} (the extension's create uses its preview client). */
  ObjectNode put(String appId, ObjectNode body, String version) throws Exception {
    HttpResponse<String> r = send("PUT", appId + "?api-version=" + version, body.toString());
    ok(r);
    if (r.statusCode() != 201) {
      return (ObjectNode) Https.json(r);
    }
    String operation =
        r.headers()
            .firstValue("Azure-AsyncOperation")
            .orElseThrow(() -> new AssertionError("201 without Azure-AsyncOperation"));
    Instant end = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      HttpResponse<String> poll = send("GET", path(operation), null);
      assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
      String status = Https.json(poll).path("status").asText();
      assertThat(status).as("az needs a status: " + poll.body()).isNotEmpty();
      if (status.equalsIgnoreCase("Failed") || status.equalsIgnoreCase("Canceled")) {
        JsonNode e = Https.json(poll).path("error");
        throw new AzError(200, e.path("code").asText(), e.path("message").asText());
      }
      if (status.equalsIgnoreCase("Succeeded")) {
        return show(appId);
      }
      assertThat(Instant.now()).as("operation still " + status).isBefore(end);
      Thread.sleep(retryAfter(poll));
    }
  }

  /** {@code ContainerAppClient.update}: a merge PATCH, waiting on {@code Location}. */
  ObjectNode patch(String appId, ObjectNode body, String version) throws Exception {
    HttpResponse<String> r = send("PATCH", appId + "?api-version=" + version, body.toString());
    ok(r);
    if (r.statusCode() != 202) {
      return (ObjectNode) Https.json(r);
    }
    String location =
        r.headers()
            .firstValue("Location")
            .orElseThrow(() -> new AssertionError("202 without Location"));
    Instant end = Instant.now().plus(Duration.ofMinutes(3));
    HttpResponse<String> poll = send("GET", path(location), null);
    while (poll.statusCode() == 202) {
      assertThat(Instant.now()).as("PATCH still running").isBefore(end);
      Thread.sleep(retryAfter(poll));
      poll = send("GET", path(location), null);
    }
    ok(poll);
    assertThat(poll.body()).as("az: Could not find a container app").isNotBlank();
    return (ObjectNode) Https.json(poll);
  }

  /** A GET any command of the extension sends through az's SDK clients, answered 200. */
  JsonNode get(String pathAndQuery) throws Exception {
    return ok(send("GET", pathAndQuery, null));
  }

  /** A PUT az sends through an SDK client that takes 200 or 201 as they come (role assignments). */
  JsonNode putOnce(String pathAndQuery, String body) throws Exception {
    HttpResponse<String> r = send("PUT", pathAndQuery, body);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return ok(r);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    sent.add(method + " " + path.replaceFirst("\\?.*", ""));
    return https.send(method, path, token, body);
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    if (r.statusCode() >= 400) {
      JsonNode e = Https.json(r).path("error");
      throw new AzError(r.statusCode(), e.path("code").asText(), e.path("message").asText());
    }
    return r.body().isBlank() ? Https.JSON.nullNode() : Https.json(r);
  }

  private static String path(String url) {
    return url.substring(url.indexOf("/subscriptions/"));
  }

  private static long retryAfter(HttpResponse<String> r) {
    return r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(2L) * 1000;
  }
}
