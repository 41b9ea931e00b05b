package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Json;
import dev.berth.server.tls.Trust;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code berth train}: a short, complete start in a throw-away data directory — first start, a
 * token, an ARM call, stop — for the JVM to record which classes a start needs. {@code bin/berth}
 * runs it once per build with {@code -XX:AOTCacheOutput} (JDK 25) and starts Berth from that cache,
 * which halves start-up time (docs/benchmarks.md).
 */
@Command(
    name = "train",
    hidden = true,
    description = "Record a start-up cache (used by bin/berth).")
final class TrainCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("berth-train-");
    try (BerthServer server =
        BerthServer.start(ServerConfig.of(new DataDir(dir), "127.0.0.1", 0))) {
      BootstrapInfo b = server.bootstrap();
      HttpClient http =
          HttpClient.newBuilder().sslContext(Trust.onlyCa(Path.of(b.caFile()))).build();
      String form =
          "grant_type=client_credentials&client_id="
              + enc(b.clientId())
              + "&client_secret="
              + enc(b.clientSecret())
              + "&scope="
              + enc(b.managementEndpoint() + ".default");
      HttpResponse<String> token =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(b.authority() + "/" + b.tenantId() + "/oauth2/v2.0/token"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode answer = Json.MAPPER.readTree(token.body());
      http.send(
          HttpRequest.newBuilder(
                  URI.create(b.managementEndpoint() + "subscriptions?api-version=2022-12-01"))
              .header("Authorization", "Bearer " + answer.path("access_token").asText())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } finally {
      deleteTree(dir);
    }
    return 0;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
