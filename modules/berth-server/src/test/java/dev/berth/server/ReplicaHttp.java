package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP to a replica's web server on port 8080 at its own address, as the host reaches it
 * (what the container-app ITs' images serve). Every request has a deadline. Thread-safe.
 */
final class ReplicaHttp {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ReplicaHttp() {}

  /** {@code GET http://address:8080/path}. */
  static HttpResponse<String> get(String address, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + address + ":8080" + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The body of one {@code GET /index.html}, whatever its status. */
  static String index(String address) throws Exception {
    return get(address, "/index.html").body();
  }

  /** The index page once the replica's web server answers it with 200 (30 s at most). */
  static String served(String address) {
    String[] body = new String[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              HttpResponse<String> response = get(address, "/index.html");
              assertThat(response.statusCode()).isEqualTo(200);
              body[0] = response.body();
            });
    return body[0];
  }
}
