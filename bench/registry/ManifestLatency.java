import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Manifest GET latency over one kept-alive HTTPS connection: warm-up, then N sequential GETs;
 * prints p50 and p99 in microseconds. Usage: java ManifestLatency.java URL CA_PEM N [user:password]
 */
public class ManifestLatency {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[2]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(Path.of(args[1]))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "application/vnd.oci.image.manifest.v1+json");
    if (args.length > 3) {
      // Basic credentials: the registry must accept them directly (Berth: admin user).
      builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(args[3].getBytes()));
    }
    HttpRequest request = builder.build();
    for (int i = 0; i < Math.max(200, n / 5); i++) {
      check(client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }
    long[] micros = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      check(client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
      micros[i] = (System.nanoTime() - t0) / 1000;
    }
    Arrays.sort(micros);
    System.out.printf("p50 %d us, p99 %d us%n", micros[n / 2], micros[(int) (n * 0.99)]);
  }

  private static void check(HttpResponse<byte[]> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET answered " + r.statusCode() + ": " + new String(r.body()));
    }
  }
}
