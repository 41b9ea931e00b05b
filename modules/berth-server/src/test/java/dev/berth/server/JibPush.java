package dev.berth.server;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.berth.testing.Exec;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * jib-core building a one-file image and pushing it, in a child JVM whose default trust store holds
 * Berth's CA (Jib takes the JVM's default trust; setting it in the test's own JVM would change
 * every other test's). {@link #main} prints the pushed digest.
 */
final class JibPush {

  private JibPush() {}

  /** Pushes {@code file} as {@code /app/…} to {@code image}; the child's exit code and output. */
  static Exec.Result run(
      Path caPem,
      Path work,
      String image,
      String user,
      String password,
      Path file,
      Duration timeout)
      throws Exception {
    Path trustStore = work.resolve("jib-trust.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (var in = Files.newInputStream(caPem)) {
      store.setCertificateEntry(
          "berth-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      store.store(out, "changeit".toCharArray());
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djavax.net.ssl.trustStore=" + trustStore);
    command.add("-Djavax.net.ssl.trustStorePassword=changeit");
    command.add("-Djavax.net.ssl.trustStoreType=PKCS12");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(JibPush.class.getName());
    command.addAll(List.of(image, user, file.toString()));
    // The password goes through the environment, not the command line that ps shows.
    return Exec.of(command)
        .env("JIB_PUSH_PASSWORD", password)
        .separateStderr()
        .timeout(timeout)
        .run();
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[2]);
    var container =
        Jib.fromScratch()
            .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
            .setEntrypoint("/app/run")
            .containerize(
                Containerizer.to(
                    RegistryImage.named(args[0])
                        .addCredential(args[1], System.getenv("JIB_PUSH_PASSWORD"))));
    System.out.println(container.getDigest());
  }
}
