package dev.berth.server;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser stand-in for the portal's page ITs: GETs pages and posts forms over HTTP with one
 * session's cookie, carrying that session's CSRF token as the page's forms do. Not thread-safe.
 */
final class PortalPages {

  private static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");

  private final RunningBerth berth;
  private final HttpClient client;
  private final String cookie;
  private String csrf;

  PortalPages(RunningBerth berth, String cookie) throws Exception {
    this.berth = berth;
    this.cookie = cookie;
    this.client =
        HttpClient.newBuilder()
            .sslContext(Https.trusting(berth.caFile()))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The portal address of a resource's page: {@code /portal/resource<id>[/blade]}. */
  static String page(String armId, String blade) {
    return "/portal/resource" + armId + (blade.isEmpty() ? "" : "/" + blade);
  }

  HttpResponse<String> get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    Matcher m = CSRF.matcher(r.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return r;
  }

  /** Posts a form with the session's CSRF token (read from a page first). */
  HttpResponse<String> post(String path, String... fieldsAndValues) throws Exception {
    if (csrf == null) {
      get("/portal");
    }
    StringBuilder form = new StringBuilder("_csrf=").append(enc(csrf));
    for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
      form.append('&')
          .append(enc(fieldsAndValues[i]))
          .append('=')
          .append(enc(fieldsAndValues[i + 1]));
    }
    return send("POST", path, form.toString());
  }

  private HttpResponse<String> send(String method, String path, String form) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(berth.baseUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Cookie", "__Host-berth-session=" + cookie)
            .method(
                method,
                form == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(form));
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
