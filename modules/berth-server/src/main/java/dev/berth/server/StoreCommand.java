package dev.berth.server;

import dev.berth.store.ResourceStores;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code berth store}: what is done to the resource store with Berth stopped. */
@Command(
    name = "store",
    description = "The resource store, with Berth stopped.",
    mixinStandardHelpOptions = true,
    subcommands = StoreCommand.Copy.class)
final class StoreCommand {

  /**
   * {@code berth store copy --to URL}: copies a data directory's SQLite store into an empty
   * PostgreSQL database (or any store into another), so that the next {@code berth up --store URL}
   * finds every resource. Holds the data directory's lock meanwhile: Berth must be stopped.
   */
  @Command(
      name = "copy",
      description =
          "Copy every resource into an empty store, as they are: then start with berth up --store"
              + " URL. Berth must be stopped.",
      mixinStandardHelpOptions = true)
  static final class Copy implements Callable<Integer> {

    @Option(
        names = "--data-dir",
        description = "State directory (env BERTH_DATA_DIR; default ~/.berth).")
    Path dataDir;

    @Option(
        names = "--from",
        paramLabel = "URL",
        description = "The store to copy (default: the data directory's, as berth up uses it).")
    String from;

    @Option(
        names = "--to",
        paramLabel = "URL",
        required = true,
        description =
            "The empty store to copy into: postgresql://HOST:PORT/DATABASE?user=USER (the"
                + " password from ~/.pgpass), or sqlite:/absolute/file.db.")
    String to;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ServerConfig config;
      try {
        config =
            ServerConfig.ofDataDir(dataDir, System.getenv()).withStoreOption(from, System.getenv());
        ResourceStores.validate(to);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      // A running Berth holds the lock, and would write while the copy reads.
      try (DataDirLock lock = DataDirLock.acquire(config.dataDir())) {
        int copied = ResourceStores.copy(config.storeUrl(), to);
        spec.commandLine()
            .getOut()
            .println(
                "Copied "
                    + copied
                    + " resources from "
                    + config.storeName()
                    + ". Start Berth on them with: bin/berth up --store '"
                    + to
                    + "'"
                    + (dataDir == null ? "" : " --data-dir " + dataDir));
        return 0;
      } catch (IllegalArgumentException | IllegalStateException e) {
        spec.commandLine().getErr().println("berth store copy: " + e.getMessage());
        return 1;
      }
    }
  }
}
