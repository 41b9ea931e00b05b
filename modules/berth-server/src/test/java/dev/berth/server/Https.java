package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.tls.Trust;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small HTTPS client for tests: trusts Berth's CA, logs in with client credentials, sends JSON.
 */
final class Https {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final String base;

  Https(Path caPem, String base) throws Exception {
    this.client =
        HttpClient.newBuilder()
            .sslContext(trusting(caPem))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  static SSLContext trusting(Path caPem) throws Exception {
    return Trust.onlyCa(caPem);
  }

  /**
   * A raw {@code GET path} over TLS to 127.0.0.1:port from a socket bound to {@code source}, with
   * this Host header: the whole response as text. For what java.net.http cannot do (choose the
   * source address, send any Host).
   */
  static String rawGet(Path caPem, int port, String source, String host, String path)
      throws Exception {
    try (var socket = (SSLSocket) trusting(caPem).getSocketFactory().createSocket()) {
      socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      var out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A client-credentials token from Berth's v2 endpoint for {@code resource}. */
  String token(String tenant, String clientId, String secret, String resource) throws Exception {
    String form =
        "grant_type=client_credentials&client_id="
            + enc(clientId)
            + "&client_secret="
            + enc(secret)
            + "&scope="
            + enc(resource + (resource.endsWith("/") ? "" : "/") + ".default");
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("token request failed: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).path("access_token").asText();
  }

  HttpResponse<String> send(String method, String pathAndQuery, String token, String body)
      throws Exception {
    return sendWithHeader(method, pathAndQuery, token, body, null, null);
  }

  HttpResponse<String> sendWithHeader(
      String method, String pathAndQuery, String token, String body, String header, String value)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (header != null) {
      b.header(header, value);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
