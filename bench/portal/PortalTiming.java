import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Signs in to the portal as a person does (sign-in page, form, code, callback: one cookie jar),
 * then times each page N times in a row over one kept-alive connection after a warm-up, and prints
 * p50 and p95 in milliseconds. Usage: java PortalTiming.java BASE CA_PEM USER PASSWORD N PAGE...
 */
public class PortalTiming {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    int n = Integer.parseInt(args[4]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(Path.of(args[1]))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    // Sign in: /portal/signin -> authorize (form) -> POST -> callback -> /portal.
    String at = base + "/portal/signin";
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(at)).build(), HttpResponse.BodyHandlers.ofString());
    String authorize = r.headers().firstValue("Location").orElseThrow();
    r = client.send(HttpRequest.newBuilder(URI.create(absolute(base, authorize))).build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> form = new LinkedHashMap<>();
    Matcher hidden = Pattern.compile("<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"").matcher(r.body());
    while (hidden.find()) {
      form.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
    }
    form.put("username", args[2]);
    form.put("password", args[3]);
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create(absolute(base, authorize)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    String callback = posted.headers().firstValue("Location")
        .orElseThrow(() -> new IllegalStateException("sign-in refused: " + posted.statusCode() + " " + posted.body()));
    HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(URI.create(absolute(base, callback))).build(), HttpResponse.BodyHandlers.ofString());
    if (signedIn.statusCode() != 303) {
      throw new IllegalStateException("callback answered " + signedIn.statusCode() + ": " + signedIn.body());
    }

    for (int i = 5; i < args.length; i++) {
      HttpRequest page = HttpRequest.newBuilder(URI.create(base + args[i])).build();
      for (int w = 0; w < Math.max(20, n / 5); w++) {
        check(client.send(page, HttpResponse.BodyHandlers.ofString()), args[i]);
      }
      long[] ms = new long[n];
      for (int k = 0; k < n; k++) {
        long start = System.nanoTime();
        check(client.send(page, HttpResponse.BodyHandlers.ofString()), args[i]);
        ms[k] = System.nanoTime() - start;
      }
      Arrays.sort(ms);
      System.out.printf("%-60s p50 %6.1f ms  p95 %6.1f ms%n", args[i].replaceAll("/subscriptions/[^/]+", "/subscriptions/…"),
          ms[n / 2] / 1e6, ms[(int) Math.ceil(n * 0.95) - 1] / 1e6);
    }
  }

  private static String absolute(String base, String location) {
    return location.startsWith("http") ? location : base + location;
  }

  private static void check(HttpResponse<String> r, String page) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(page + " answered " + r.statusCode() + ": " + r.body().substring(0, Math.min(300, r.body().length())));
    }
  }
}
