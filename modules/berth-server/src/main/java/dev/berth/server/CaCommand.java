package dev.berth.server;

import dev.berth.server.tls.LocalCertificateAuthority;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth ca}: prints the local CA certificate (PEM), creating it if Berth never ran. */
@Command(
    name = "ca",
    description = "Print Berth's CA certificate (PEM), for clients to trust.",
    mixinStandardHelpOptions = true)
final class CaCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      description = "State directory (env BERTH_DATA_DIR; default ~/.berth).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    DataDir dir = ServerConfig.ofDataDir(dataDir, System.getenv()).dataDir();
    var ca = LocalCertificateAuthority.loadOrCreate(dir.caCertificate(), dir.caKey());
    System.out.print(ca.certificatePem());
    return 0;
  }
}
