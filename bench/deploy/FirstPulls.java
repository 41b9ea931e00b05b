import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImagePullers;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullListener;
import dev.berth.runtime.image.RegistryCredential;
import dev.berth.server.tls.TlsProvider;
import dev.berth.server.tls.Trust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;

/**
 * The first pulls of a JVM, as the puller makes them in Berth (its classes, its engines): pulls each
 * image named on the command line once, in order — each with a layer not pulled before — and
 * prints the milliseconds of each pull. Run in a fresh JVM per engine, so that each pull shows how
 * far the JIT has come: a scale-out or cold start of a new revision in a Berth that has not pulled
 * much yet. The puller's own warm-up (PullWarmUp), done long before the first pull in Berth, runs
 * here beside the first pull, for both engines alike. Usage: REGISTRY_PASSWORD=… java -cp
 * "<berth-server's jar and lib>" FirstPulls.java jdk|boringssl CA_FILE USER IMAGE… (the password
 * in the environment, which only its user may read).
 */
public final class FirstPulls {

  public static void main(String[] args) throws Exception {
    TlsProvider provider = TlsProvider.parse(args[0]);
    TrustManagerFactory trust = Trust.caAndSystemManagers(Path.of(args[1]));
    var credential = new RegistryCredential.Basic(args[2], System.getenv("REGISTRY_PASSWORD"));
    Path cache = Files.createTempDirectory("first-pulls");
    StringBuilder out = new StringBuilder(provider.name().toLowerCase());
    try (ImagePuller puller =
        ImagePullers.create(
            cache, Trust.context(trust), Set.of(), provider.clientTls(trust))) {
      for (int i = 3; i < args.length; i++) {
        long started = System.nanoTime();
        puller.pull(ImageReference.parse(args[i]), credential, Optional.empty(), PullListener.NONE);
        out.append(' ').append((System.nanoTime() - started) / 1_000_000);
      }
    } finally {
      try (var files = Files.walk(cache)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.println(out);
  }
}
