package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser, as far as the portal's sign-in needs one, over plain java.net.http: it keeps its own
 * cookies (set, replaced and expired by {@code Set-Cookie}), follows no redirect by itself, fills
 * in the token service's sign-in form, and records every answer it got so a test can look for what
 * must never be sent. Not thread-safe.
 */
final class PortalVisitor {

  private static final Pattern FORM_ACTION =
      Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
  private static final Pattern HIDDEN =
      Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");

  private final String base;
  private final HttpClient client;
  private final Map<String, String> cookies = new LinkedHashMap<>();
  final List<HttpResponse<String>> answers = new ArrayList<>();

  PortalVisitor(Path caPem, String base) throws Exception {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .sslContext(Https.trusting(caPem))
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The value of this visitor's cookie {@code name}, or null. */
  String cookie(String name) {
    return cookies.get(name);
  }

  void setCookie(String name, String value) {
    cookies.put(name, value);
  }

  HttpResponse<String> get(String pathOrUrl) throws Exception {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
  }

  HttpResponse<String> post(String pathOrUrl, Map<String, String> form) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(pathOrUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
  }

  /**
   * Starts a sign-in at the portal and fills in the token service's form: the answer is the token
   * service's redirect to the portal's callback (not yet followed).
   */
  HttpResponse<String> authorize(String returnTo, String user, String password) throws Exception {
    HttpResponse<String> start =
        get(
            "/portal/signin"
                + (returnTo == null
                    ? ""
                    : "?returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8)));
    assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
    HttpResponse<String> page = get(location(start));
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher action = FORM_ACTION.matcher(page.body());
    assertThat(action.find()).as(page.body()).isTrue();
    Map<String, String> form = new LinkedHashMap<>();
    Matcher hidden = HIDDEN.matcher(page.body());
    while (hidden.find()) {
      form.put(hidden.group(1), unescape(hidden.group(2)));
    }
    form.put("username", user);
    form.put("password", password);
    HttpResponse<String> signedIn = post(unescape(action.group(1)), form);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    return signedIn;
  }

  /** Signs in through the portal and the token service; the portal's last answer (its 303). */
  HttpResponse<String> signIn(String returnTo, String user, String password) throws Exception {
    HttpResponse<String> back = get(location(authorize(returnTo, user, password)));
    assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
    assertThat(cookie("__Host-berth-session")).isNotNull();
    return back;
  }

  /** The CSRF token the portal's page {@code path} carries in its forms. */
  String csrfToken(String path) throws Exception {
    HttpResponse<String> page = get(path);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    return m.group(1);
  }

  static String location(HttpResponse<?> r) {
    return r.headers().firstValue("Location").orElseThrow();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    b.timeout(Duration.ofSeconds(30));
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
    }
    return r;
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("https://") ? pathOrUrl : base + pathOrUrl);
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
