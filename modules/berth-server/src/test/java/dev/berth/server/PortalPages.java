package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser stand-in for the portal's ITs over plain java.net.http: it keeps its own cookies (set,
 * replaced and expired by {@code Set-Cookie}), follows no redirect, posts forms with the session's
 * CSRF token as the portal's pages do, and records every answer so a test can look for what must
 * never be sent. Not thread-safe.
 */
final class PortalPages {

  static final String SESSION = "__Host-berth-session";

  private static final Pattern CSRF = Pattern.compile("data-csrf=\"([^\"]+)\"");

  private final String base;
  private final HttpClient client;
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private final List<HttpResponse<String>> answers = new ArrayList<>();
  private String csrf;

  /** A browser that holds no cookie yet. */
  PortalPages(RunningBerth berth) throws Exception {
    this.base = berth.baseUrl();
    this.client =
        HttpClient.newBuilder()
            .sslContext(Https.trusting(berth.caFile()))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** A browser that holds the portal session cookie {@code session}, as after a sign-in. */
  PortalPages(RunningBerth berth, String session) throws Exception {
    this(berth);
    cookies.put(SESSION, session);
  }

  /** The portal address of a resource's page: {@code /portal/resource<id>[/blade]}. */
  static String page(String armId, String blade) {
    return "/portal/resource" + armId + (blade.isEmpty() ? "" : "/" + blade);
  }

  static String location(HttpResponse<?> r) {
    return r.headers().firstValue("Location").orElseThrow();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** {@code fieldsAndValues} URL-encoded as a form body or a query: {@code a=1&b=2}. */
  static String form(String... fieldsAndValues) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i + 1 < fieldsAndValues.length; i += 2) {
      form.append(form.isEmpty() ? "" : "&")
          .append(enc(fieldsAndValues[i]))
          .append('=')
          .append(enc(fieldsAndValues[i + 1]));
    }
    return form.toString();
  }

  /** The value of this browser's cookie {@code name}, or null. */
  String cookie(String name) {
    return cookies.get(name);
  }

  void setCookie(String name, String value) {
    cookies.put(name, value);
  }

  /** Every answer this browser got, oldest first. */
  List<HttpResponse<String>> answers() {
    return Collections.unmodifiableList(answers);
  }

  /** GETs a portal path or a full URL, keeping the CSRF token the page carries, if any. */
  HttpResponse<String> get(String pathOrUrl) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
    Matcher m = CSRF.matcher(r.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return r;
  }

  /** The CSRF token the portal's page {@code path} carries in its forms. */
  String csrfToken(String path) throws Exception {
    HttpResponse<String> page = get(path);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).containsPattern(CSRF);
    return csrf;
  }

  /** Posts a form with the session's CSRF token, read from a page first as a browser has it. */
  HttpResponse<String> post(String path, String... fieldsAndValues) throws Exception {
    String token = csrf == null ? csrfToken("/portal") : csrf;
    List<String> form = new ArrayList<>(List.of("_csrf", token));
    form.addAll(List.of(fieldsAndValues));
    return postExactly(path, form.toArray(String[]::new));
  }

  /**
   * Posts exactly {@code fieldsAndValues} to a portal path or a full URL, adding no CSRF token: a
   * forged form, one that carries a token of its own, or the token service's.
   */
  HttpResponse<String> postExactly(String pathOrUrl, String... fieldsAndValues) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(pathOrUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(fieldsAndValues))));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    b.timeout(Duration.ofSeconds(60));
    if (!cookies.isEmpty()) {
      b.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    answers.add(r);
    for (String set : r.headers().allValues("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty() || set.contains("Max-Age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
      if (name.equals(SESSION)) {
        csrf = null; // the token belongs to the session: a new or ended one needs a new page
      }
    }
    return r;
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("https://") ? pathOrUrl : base + pathOrUrl);
  }
}
