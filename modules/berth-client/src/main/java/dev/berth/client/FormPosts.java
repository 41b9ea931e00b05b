package dev.berth.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** The form-encoded POST both token endpoints take (Entra's and a registry's). Stateless. */
final class FormPosts {

  private FormPosts() {}

  /** A POST of {@code form}, {@code application/x-www-form-urlencoded}, asking for JSON back. */
  static HttpRequest request(URI uri, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .header("User-Agent", "berth-cli")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
