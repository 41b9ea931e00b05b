package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A small client for Berth's ARM-compatible REST API: sends authenticated JSON requests, follows
 * {@code nextLink} for lists, waits for long-running operations and turns ARM error envelopes into
 * {@link ArmCallException}. Thread-safe if its token supplier is.
 *
 * <p>Paths are relative to the management endpoint and carry their own {@code api-version};
 * absolute URLs (such as a {@code nextLink}) are used as they are.
 */
public final class ArmClient {

  /** Waits between polls of a long-running operation; tests pass one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL =
      Set.of("succeeded", "failed", "canceled", "cancelled");
  private static final Duration DEFAULT_POLL = Duration.ofSeconds(2);

  private final Transport transport;
  private final URI endpoint;
  private final Supplier<String> token;
  private final Sleeper sleeper;
  private final Consumer<String> progress;

  private ArmClient(
      Transport transport,
      URI endpoint,
      Supplier<String> token,
      Sleeper sleeper,
      Consumer<String> progress) {
    this.transport = transport;
    this.endpoint = endpoint;
    this.token = token;
    this.sleeper = sleeper;
    this.progress = progress;
  }

  /**
   * A client for {@code endpoint}, authenticating with the bearer tokens {@code token} supplies
   * (asked once per request, so a refreshing supplier keeps long waits working).
   */
  public static ArmClient create(
      HttpClient http,
      URI endpoint,
      Supplier<String> token,
      Consumer<String> debug,
      Sleeper sleeper) {
    return new ArmClient(new Transport(http, debug), endpoint, token, sleeper, status -> {});
  }

  public static ArmClient create(
      HttpClient http, URI endpoint, Supplier<String> token, Consumer<String> debug) {
    return create(http, endpoint, token, debug, d -> Thread.sleep(d.toMillis()));
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * This client, telling {@code progress} the status of each poll of a long-running operation
   * ({@code InProgress}…; {@code Location} polls report {@code InProgress} while they answer 202),
   * so a command can show that it is waiting.
   */
  public ArmClient withProgress(Consumer<String> progress) {
    return new ArmClient(transport, endpoint, token, sleeper, progress);
  }

  public JsonNode get(String path) {
    return checked(send("GET", resolve(path), null));
  }

  /** Creates or replaces a resource, waiting for the operation it starts. */
  public JsonNode put(String path, JsonNode body) {
    return put(path, body, true);
  }

  /**
   * Creates or replaces a resource; with {@code wait} false, returns the server's first answer as
   * soon as it accepted the operation.
   */
  public JsonNode put(String path, JsonNode body, boolean wait) {
    return complete("PUT", resolve(path), body, wait);
  }

  public JsonNode patch(String path, JsonNode body) {
    return patch(path, body, true);
  }

  /** Patches a resource; {@code wait} as for {@link #put(String, JsonNode, boolean)}. */
  public JsonNode patch(String path, JsonNode body, boolean wait) {
    return complete("PATCH", resolve(path), body, wait);
  }

  /**
   * GETs a {@code text/plain} resource and hands each line to {@code lines} as it arrives (a log
   * stream stays open while the server keeps writing); ARM errors as for JSON calls.
   */
  public void streamLines(String path, Consumer<String> lines) {
    HttpRequest request =
        authorized(resolve(path))
            .timeout(Duration.ofDays(1))
            .header("Accept", "text/plain")
            .GET()
            .build();
    HttpResponse<Stream<String>> response =
        transport.send(request, HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> body = response.body()) {
      if (response.statusCode() >= 400) {
        throw error(response.statusCode(), parse(body.collect(Collectors.joining("\n"))));
      }
      body.forEach(lines);
    }
  }

  /** Invokes an action; {@code body} may be null for actions without one. */
  public JsonNode post(String path, JsonNode body) {
    return complete("POST", resolve(path), body, true);
  }

  /** Deletes a resource; with {@code wait} false, returns once the server accepted the delete. */
  public void delete(String path, boolean wait) {
    complete("DELETE", resolve(path), null, wait);
  }

  /** Every element of a list, following {@code nextLink} until the last page. */
  public ArrayNode list(String path) {
    ArrayNode all = JSON.createArrayNode();
    URI next = resolve(path);
    while (next != null) {
      JsonNode page = checked(send("GET", next, null));
      page.path("value").forEach(all::add);
      String link = page.path("nextLink").asText("");
      next = link.isEmpty() ? null : resolve(link);
    }
    return all;
  }

  private JsonNode complete(String method, URI uri, JsonNode body, boolean wait) {
    HttpResponse<String> response = send(method, uri, body);
    JsonNode result = checked(response);
    int status = response.statusCode();
    Optional<String> async = response.headers().firstValue("Azure-AsyncOperation");
    Optional<String> location = response.headers().firstValue("Location");
    // A PUT that replaces a resource answers 200 with the polling headers when its change goes on
    // in the background (as ARM does), so the headers, not only 201 and 202, mean "wait".
    if (!wait || (status != 201 && status != 202 && async.isEmpty())) {
      return result;
    }
    if (async.isPresent()) {
      JsonNode operation = pollAsyncOperation(resolve(async.get()), response);
      return switch (method) {
        case "PUT", "PATCH" -> get(uri.toString());
        case "DELETE" -> MissingNode.getInstance();
        default ->
            location.isPresent() ? pollLocation(resolve(location.get()), response) : operation;
      };
    }
    if (status == 202 && location.isPresent()) {
      return pollLocation(resolve(location.get()), response);
    }
    return result;
  }

  /** Polls an {@code Azure-AsyncOperation} URL until its {@code status} is terminal. */
  private JsonNode pollAsyncOperation(URI operationUri, HttpResponse<String> previous) {
    String state = "InProgress";
    while (true) {
      progress.accept(state);
      pause(previous);
      previous = send("GET", operationUri, null);
      JsonNode operation = checked(previous);
      state = operation.path("status").asText("");
      if (!TERMINAL.contains(state.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (state.equalsIgnoreCase("succeeded")) {
        return operation;
      }
      JsonNode error = operation.path("error");
      throw new ArmCallException(
          previous.statusCode(),
          error.path("code").asText(state),
          error.path("message").asText("The operation ended with status " + state + "."));
    }
  }

  /** Polls a {@code Location} URL until it stops answering 202. */
  private JsonNode pollLocation(URI locationUri, HttpResponse<String> previous) {
    do {
      progress.accept("InProgress");
      pause(previous);
      previous = send("GET", locationUri, null);
    } while (previous.statusCode() == 202);
    return checked(previous);
  }

  private void pause(HttpResponse<String> previous) {
    Duration wait =
        previous
            .headers()
            .firstValue("Retry-After")
            .flatMap(ArmClient::seconds)
            .orElse(DEFAULT_POLL);
    try {
      if (!wait.isZero()) {
        sleeper.sleep(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an operation", e);
    }
  }

  private static Optional<Duration> seconds(String header) {
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP-date: fall back to the default interval
    }
  }

  private HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + token.get())
        .header("User-Agent", "berth-cli")
        .header("x-ms-client-request-id", UUID.randomUUID().toString());
  }

  private HttpResponse<String> send(String method, URI uri, JsonNode body) {
    HttpRequest.Builder builder =
        authorized(uri).timeout(Duration.ofMinutes(2)).header("Accept", "application/json");
    if (body != null) {
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return transport.send(builder.build());
  }

  /** The response body as JSON, or the ARM error it carries as an exception. */
  private static JsonNode checked(HttpResponse<String> response) {
    JsonNode body = parse(response.body());
    int status = response.statusCode();
    if (status < 400) {
      return body;
    }
    throw error(status, body);
  }

  /** The ARM error envelope {@code body} of a response with this status, as an exception. */
  private static ArmCallException error(int status, JsonNode body) {
    JsonNode error = body.path("error");
    String code = error.path("code").asText("");
    String message = error.path("message").asText("");
    if (code.isEmpty()) {
      code = "HttpResponseError";
    }
    if (message.isEmpty()) {
      message = "Operation returned an invalid status code " + status + ".";
    }
    return new ArmCallException(status, code, message);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  private URI resolve(String pathOrUrl) {
    if (pathOrUrl.startsWith("https://") || pathOrUrl.startsWith("http://")) {
      return URI.create(pathOrUrl);
    }
    String base = endpoint.toString().replaceAll("/+$", "");
    return URI.create(base + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl);
  }
}
