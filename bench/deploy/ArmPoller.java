import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The deploy benchmark's client, as the Azure SDKs poll: one kept-alive HTTPS connection to Berth,
 * a PUT, then a GET of its Azure-AsyncOperation every 5 ms until it is no longer InProgress. Reads
 * "PUT <url> <body file>" lines on stdin and answers "<status> <ms>" for each, the time from sending
 * the PUT to the answer that ended the operation. Started once per run, so neither a process start
 * nor a TLS handshake per poll is counted (a curl process per poll added 30–60 ms that were not
 * Berth's). Usage: ARM_TOKEN=… java ArmPoller.java CA_FILE WARM_UP_URL (the token in the
 * environment, which only its user may read, not in the arguments, which everyone may).
 */
public final class ArmPoller {

  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Za-z]+)\"");

  public static void main(String[] args) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(Path.of(args[0])))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    String token = System.getenv("ARM_TOKEN");
    // The client's own first handshake and JIT are not Berth's time.
    for (int i = 0; i < 50; i++) {
      http.send(get(args[1], token), HttpResponse.BodyHandlers.discarding());
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] f = line.split(" ");
      byte[] body = Files.readAllBytes(Path.of(f[2]));
      long t0 = System.nanoTime();
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(URI.create(f[1]))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String operation = put.headers().firstValue("Azure-AsyncOperation").orElse(null);
      String status = operation == null ? "NoOperation(" + put.statusCode() + ")" : "InProgress";
      while (status.equals("InProgress")) {
        Thread.sleep(5);
        String reply = http.send(get(operation, token), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = STATUS.matcher(reply);
        status = m.find() ? m.group(1) : "Unreadable";
      }
      System.out.println(status + " " + (System.nanoTime() - t0) / 1_000_000);
      System.out.flush();
    }
  }

  private static HttpRequest get(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream pem = Files.newInputStream(caFile)) {
      store.setCertificateEntry("berth", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
