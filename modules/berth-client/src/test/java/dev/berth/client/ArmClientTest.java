package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.client.FakeBerth.Response;
import dev.berth.testing.TestCa;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArmClientTest {

  private final FakeBerth berth = FakeBerth.start();
  private final List<Duration> sleeps = new ArrayList<>();
  private final ArmClient arm =
      ArmClient.create(
          Tls.httpClient(Optional.of(TestCa.get().caPem())),
          berth.endpoint(),
          () -> "tok",
          m -> {},
          sleeps::add);

  @AfterEach
  void stop() {
    berth.close();
  }

  @Test
  void listFollowsNextLinkAcrossPages() {
    String next = berth.endpoint() + "page2?api-version=1&$skiptoken=abc";
    berth.on(
        "GET",
        "/things",
        r -> Response.json(200, "{\"value\":[{\"n\":1},{\"n\":2}],\"nextLink\":\"" + next + "\"}"));
    berth.on("GET", "/page2", r -> Response.json(200, "{\"value\":[{\"n\":3}]}"));

    JsonNode all = arm.list("/things?api-version=1");

    assertThat(all).extracting(n -> n.get("n").asInt()).containsExactly(1, 2, 3);
    assertThat(berth.requests("GET", "/page2").get(0).query()).contains("$skiptoken=abc");
  }

  @Test
  void requestsCarryTheBearerToken() {
    berth.on("GET", "/x", r -> Response.json(200, "{}"));
    arm.get("/x?api-version=1");
    assertThat(berth.requests("GET", "/x").get(0).header("Authorization")).isEqualTo("Bearer tok");
  }

  @Test
  void putWaitsForAzureAsyncOperationThenReadsTheResource() {
    String op = berth.endpoint() + "operations/op1";
    berth.on(
        "PUT",
        "/r",
        r ->
            Response.json(201, "{\"properties\":{\"provisioningState\":\"InProgress\"}}")
                .with("Azure-AsyncOperation", op)
                .with("Retry-After", "3"));
    berth.sequence(
        "GET",
        "/operations/op1",
        Response.json(200, "{\"status\":\"InProgress\"}").with("Retry-After", "1"),
        Response.json(200, "{\"status\":\"Succeeded\"}"));
    berth.on(
        "GET",
        "/r",
        r -> Response.json(200, "{\"properties\":{\"provisioningState\":\"Succeeded\"}}"));

    JsonNode result = arm.put("/r?api-version=1", new ObjectMapper().createObjectNode());

    assertThat(result.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(berth.requests("GET", "/operations/op1")).hasSize(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(1));
  }

  @Test
  void aPutReplacingAResourceAnswered200WithAzureAsyncOperationIsWaitedFor() {
    // ARM answers 200, not 201, when a PUT replaces a resource whose change goes on.
    String op = berth.endpoint() + "operations/op3";
    berth.on(
        "PUT",
        "/r",
        r ->
            Response.json(200, "{\"properties\":{\"provisioningState\":\"InProgress\"}}")
                .with("Azure-AsyncOperation", op));
    berth.sequence(
        "GET",
        "/operations/op3",
        Response.json(200, "{\"status\":\"InProgress\"}"),
        Response.json(200, "{\"status\":\"Succeeded\"}"));
    berth.on(
        "GET",
        "/r",
        r -> Response.json(200, "{\"properties\":{\"provisioningState\":\"Succeeded\"}}"));

    JsonNode result = arm.put("/r?api-version=1", new ObjectMapper().createObjectNode());

    assertThat(result.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(berth.requests("GET", "/operations/op3")).hasSize(2);
  }

  @Test
  void failedAsyncOperationThrowsItsError() {
    String op = berth.endpoint() + "operations/op2";
    berth.on("DELETE", "/r", r -> Response.json(202, "").with("Azure-AsyncOperation", op));
    berth.on(
        "GET",
        "/operations/op2",
        r ->
            Response.json(
                200,
                "{\"status\":\"Failed\",\"error\":{\"code\":\"Conflict\",\"message\":\"busy\"}}"));

    assertThatThrownBy(() -> arm.delete("/r?api-version=1", true))
        .isInstanceOfSatisfying(
            ArmCallException.class, e -> assertThat(e.code()).isEqualTo("Conflict"))
        .hasMessage("busy");
  }

  @Test
  void deletePollsLocationUntilItStopsAnswering202() {
    String location = berth.endpoint() + "operationResults/d1";
    berth.on(
        "DELETE",
        "/r",
        r -> Response.json(202, "").with("Location", location).with("Retry-After", "0"));
    berth.sequence(
        "GET",
        "/operationResults/d1",
        Response.json(202, "").with("Retry-After", "0"),
        Response.json(202, "").with("Retry-After", "0"),
        Response.json(200, ""));

    arm.delete("/r?api-version=1", true);

    assertThat(berth.requests("GET", "/operationResults/d1")).hasSize(3);
  }

  @Test
  void deleteWithoutWaitDoesNotPoll() {
    berth.on(
        "DELETE",
        "/r",
        r -> Response.json(202, "").with("Location", berth.endpoint() + "operationResults/d2"));
    arm.delete("/r?api-version=1", false);
    assertThat(berth.requests("GET", "/operationResults/d2")).isEmpty();
  }

  @Test
  void armErrorEnvelopeBecomesAnExceptionWithCodeMessageAndStatus() {
    berth.on(
        "GET",
        "/missing",
        r ->
            Response.json(
                404,
                "{\"error\":{\"code\":\"ResourceGroupNotFound\",\"message\":\"Resource group"
                    + " 'rg' could not be found.\"}}"));

    assertThatThrownBy(() -> arm.get("/missing?api-version=1"))
        .isInstanceOfSatisfying(
            ArmCallException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ResourceGroupNotFound");
              assertThat(e.status()).isEqualTo(404);
            })
        .hasMessage("Resource group 'rg' could not be found.");
  }

  @Test
  void refusedConnectionNamesTheEndpoint() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI closed = URI.create("https://127.0.0.1:" + port + "/");
    ArmClient client =
        ArmClient.create(Tls.httpClient(Optional.empty()), closed, () -> "t", m -> {});

    assertThatThrownBy(() -> client.get("/subscriptions?api-version=1"))
        .isInstanceOfSatisfying(
            BerthUnreachableException.class, e -> assertThat(e.endpoint()).isEqualTo(closed));
  }

  @Test
  void untrustedCertificateIsRefused() {
    berth.on("GET", "/x", r -> Response.json(200, "{}"));
    ArmClient client =
        ArmClient.create(Tls.httpClient(Optional.empty()), berth.endpoint(), () -> "t", m -> {});
    assertThatThrownBy(() -> client.get("/x?api-version=1"))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void progressHearsEachPollsStatusAndLocationPollsAsInProgress() {
    String op = berth.endpoint() + "operations/op2";
    berth.on(
        "PATCH",
        "/r",
        r -> Response.json(202, "").with("Azure-AsyncOperation", op).with("Retry-After", "0"));
    berth.sequence(
        "GET",
        "/operations/op2",
        Response.json(200, "{\"status\":\"Running\"}"),
        Response.json(200, "{\"status\":\"Succeeded\"}"));
    berth.on("GET", "/r", r -> Response.json(200, "{}"));
    List<String> statuses = new ArrayList<>();

    arm.withProgress(statuses::add)
        .patch("/r?api-version=1", new ObjectMapper().createObjectNode());

    assertThat(statuses).containsExactly("InProgress", "Running");
  }

  @Test
  void putWithoutWaitReturnsTheFirstAnswer() {
    berth.on(
        "PUT",
        "/r",
        r ->
            Response.json(201, "{\"properties\":{\"provisioningState\":\"InProgress\"}}")
                .with("Azure-AsyncOperation", berth.endpoint() + "operations/never"));

    JsonNode result = arm.put("/r?api-version=1", new ObjectMapper().createObjectNode(), false);

    assertThat(result.at("/properties/provisioningState").asText()).isEqualTo("InProgress");
    assertThat(berth.requests("GET", "/operations/never")).isEmpty();
  }

  @Test
  void streamLinesHandsOverEachLineAndTurnsErrorsIntoArmErrors() {
    berth.on("GET", "/log", r -> Response.json(200, "a\nb\n"));
    berth.on(
        "GET",
        "/missing",
        r -> Response.json(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"gone\"}}"));
    List<String> lines = new ArrayList<>();

    arm.streamLines("/log?api-version=1", lines::add);

    assertThat(lines).containsExactly("a", "b");
    assertThat(berth.requests("GET", "/log").get(0).header("Authorization"))
        .isEqualTo("Bearer tok");
    assertThatThrownBy(() -> arm.streamLines("/missing?api-version=1", lines::add))
        .isInstanceOfSatisfying(
            ArmCallException.class, e -> assertThat(e.code()).isEqualTo("NotFound"))
        .hasMessage("gone");
  }
}
