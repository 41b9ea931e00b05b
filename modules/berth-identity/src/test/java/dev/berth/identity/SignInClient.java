package dev.berth.identity;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What a browser does in the code flow, over plain java.net.http: not thread-safe. */
final class SignInClient {

  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  final URI base;
  final HttpClient http;
  final String resource;
  String cookie;

  /**
   * @param resource the management endpoint the scope names, such as {@code https://h:8443/}
   */
  SignInClient(URI base, String resource) {
    this(base, resource, HttpClient.newHttpClient());
  }

  /** A browser on another machine: its connections come from {@code local} (a 127.x address). */
  SignInClient(URI base, String resource, java.net.InetAddress local) {
    this(base, resource, HttpClient.newBuilder().localAddress(local).build());
  }

  private SignInClient(URI base, String resource, HttpClient http) {
    this.base = base;
    this.resource = resource;
    this.http = http;
  }

  /** A fresh PKCE verifier (RFC 7636 §4.1). */
  static String verifier() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String challenge(String verifier) throws Exception {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  String callback() {
    return base + "/portal/signin/callback";
  }

  /** The authorize query a well-behaved portal sends, with {@code overrides} (null removes). */
  String query(String verifier, String... overrides) throws Exception {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("client_id", "berth-portal");
    q.put("response_type", "code");
    q.put("redirect_uri", callback());
    q.put("scope", resource + "/.default openid profile");
    q.put("state", "st-1");
    q.put("nonce", "n-1");
    q.put("code_challenge", challenge(verifier));
    q.put("code_challenge_method", "S256");
    for (int i = 0; i < overrides.length; i += 2) {
      if (overrides[i + 1] == null) {
        q.remove(overrides[i]);
      } else {
        q.put(overrides[i], overrides[i + 1]);
      }
    }
    return form(q);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs the form and keeps its cookie; returns the form's CSRF token. */
  String openForm(String tenant, String query) throws Exception {
    HttpResponse<String> page = get("/" + tenant + "/oauth2/v2.0/authorize?" + query);
    if (page.statusCode() != 200) {
      throw new AssertionError(page.statusCode() + " " + page.body());
    }
    cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no csrf field in " + page.body());
    }
    return m.group(1);
  }

  HttpResponse<String> postForm(String tenant, String query, String body, String cookieHeader)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve("/" + tenant + "/oauth2/v2.0/authorize?" + query))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookieHeader != null) {
      b.header("Cookie", cookieHeader);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Opens the form and signs in; the answer to the POST. */
  HttpResponse<String> signIn(String tenant, String query, String user, String password)
      throws Exception {
    String csrf = openForm(tenant, query);
    return postForm(
        tenant, query, form(Map.of("csrf", csrf, "username", user, "password", password)), cookie);
  }

  /** The parameters of a redirect's Location query. */
  static Map<String, String> redirectParams(HttpResponse<String> response) {
    String location = response.headers().firstValue("Location").orElseThrow();
    Map<String, String> out = new LinkedHashMap<>();
    String q = URI.create(location).getRawQuery();
    for (String pair : q.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
    }
    return out;
  }

  HttpResponse<String> redeem(String tenant, String... pairs) throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return http.send(
        HttpRequest.newBuilder(base.resolve("/" + tenant + "/oauth2/v2.0/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(m)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String form(Map<String, String> m) {
    return m.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
