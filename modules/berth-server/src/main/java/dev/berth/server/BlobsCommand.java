package dev.berth.server;

import dev.berth.registry.blob.BlobReader;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStores;
import dev.berth.registry.blob.Digest;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code berth blobs}: what is done to the registries' blobs with Berth stopped. */
@Command(
    name = "blobs",
    description = "The registries' blobs, with Berth stopped.",
    mixinStandardHelpOptions = true,
    subcommands = BlobsCommand.Copy.class)
final class BlobsCommand {

  /**
   * {@code berth blobs copy --to LOCATION}: copies every blob of a data directory's registries to
   * another blob store (the data directory to Azure Blob Storage, or back) and records it as
   * theirs, so that the next {@code berth up --blobs LOCATION} serves them. Each blob is checked
   * against its digest as it is written; one already there is skipped. Holds the data directory's
   * lock: Berth must be stopped.
   */
  @Command(
      name = "copy",
      description =
          "Copy every registry blob to another blob store and make it theirs: then start with"
              + " berth up --blobs LOCATION. Berth must be stopped.",
      mixinStandardHelpOptions = true)
  static final class Copy implements Callable<Integer> {

    /** Blobs copied at once. */
    private static final int PARALLEL = 4;

    /** How often a long copy says how far it is. */
    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    @Option(
        names = "--data-dir",
        description = "State directory (env BERTH_DATA_DIR; default ~/.berth).")
    Path dataDir;

    @Option(
        names = "--to",
        paramLabel = "LOCATION",
        required = true,
        description =
            "azure-blob:https://ACCOUNT.blob.core.windows.net/CONTAINER (the account key from"
                + " AZURE_STORAGE_KEY), or data-directory to bring them back.")
    String to;

    @Option(
        names = "--delete-source",
        description =
            "Once every blob is in the target and recorded as theirs, delete them where they were.")
    boolean deleteSource;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ServerConfig config;
      try {
        config = ServerConfig.ofDataDir(dataDir, System.getenv());
        to = BlobStores.normalize(to);
        if (!to.equals(BlobLocation.DATA_DIRECTORY)) {
          BlobStores.validate(to, System.getenv());
        }
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      DataDir dir = config.dataDir();
      // A running Berth holds the lock, and would write while the copy reads.
      try (DataDirLock lock = DataDirLock.acquire(dir)) {
        String from = BlobLocation.recorded(dir).orElse(BlobLocation.DATA_DIRECTORY);
        if (from.equals(to)) {
          throw new IllegalArgumentException(
              "the blobs are in " + BlobLocation.describe(to, dir) + " already");
        }
        BlobStore source = BlobLocation.open(from, dir);
        BlobStore target = BlobLocation.open(to, dir);
        List<Digest> digests = source.digests();
        AtomicInteger copied = new AtomicInteger();
        AtomicInteger present = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        // A few blobs at once: against a service, each blob's round trips dominate small ones.
        try (ExecutorService pool =
            Executors.newFixedThreadPool(PARALLEL, Thread.ofVirtual().factory())) {
          List<Future<?>> copies = new ArrayList<>();
          for (Digest digest : digests) {
            copies.add(
                pool.submit(
                    () -> {
                      if (target.stat(digest).isPresent()) {
                        present.incrementAndGet();
                      } else {
                        long size = copy(source, target, digest);
                        if (size >= 0) {
                          copied.incrementAndGet();
                          bytes.addAndGet(size);
                        }
                      }
                      return null;
                    }));
          }
          long lastReport = System.nanoTime();
          for (int i = 0; i < copies.size(); i++) {
            try {
              copies.get(i).get();
            } catch (ExecutionException e) {
              pool.shutdownNow();
              // Stops at the first failure; what was copied stays, and a second run skips it.
              throw new IOException(
                  "copying " + digests.get(i) + ": " + e.getCause().getMessage(), e.getCause());
            }
            if (System.nanoTime() - lastReport > REPORT_EVERY.toNanos()) {
              lastReport = System.nanoTime();
              spec.commandLine()
                  .getOut()
                  .printf(
                      "… %d of %d blobs (%d MiB copied)%n",
                      i + 1, digests.size(), bytes.get() / (1024 * 1024));
            }
          }
        }
        BlobLocation.record(dir, to);
        int deleted = 0;
        if (deleteSource) {
          // Only now: each blob was checked against its digest as the target wrote it, and the
          // registries read from the target from here on.
          for (Digest digest : digests) {
            if (target.stat(digest).isPresent() && source.delete(digest)) {
              deleted++;
            }
          }
        }
        spec.commandLine()
            .getOut()
            .println(
                "Copied "
                    + copied.get()
                    + " blobs ("
                    + present.get()
                    + " were there already) from "
                    + BlobLocation.describe(from, dir)
                    + " to "
                    + BlobLocation.describe(to, dir)
                    + (deleteSource
                        ? ", and deleted " + deleted + " there"
                        : "; they are still in the source (--delete-source removes them)")
                    + ". Start Berth on them with: "
                    + "bin/berth up"
                    + (to.equals(BlobLocation.DATA_DIRECTORY) ? "" : " --blobs '" + to + "'")
                    + (dataDir == null ? "" : " --data-dir " + dataDir));
        return 0;
      } catch (IllegalArgumentException | IllegalStateException | IOException e) {
        spec.commandLine().getErr().println("berth blobs copy: " + e.getMessage());
        return 1;
      }
    }

    /** Streams one blob across: its size, or -1 when it went away meanwhile. */
    private static long copy(BlobStore source, BlobStore target, Digest digest) throws Exception {
      Optional<BlobReader> opened = source.open(digest);
      if (opened.isEmpty()) {
        return -1;
      }
      // Closed in reverse: the pipe before the executor, so that a put that fails (a digest
      // mismatch) unblocks the reading side instead of waiting for it.
      try (BlobReader reader = opened.get();
          ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();
          PipedInputStream in = new PipedInputStream(1024 * 1024);
          PipedOutputStream out = new PipedOutputStream(in)) {
        Future<Void> reading =
            writer.submit(
                () -> {
                  try (out) {
                    reader.copyTo(Channels.newChannel(out), 0, reader.size());
                  }
                  return null;
                });
        long size = target.put(digest, in).size();
        reading.get();
        return size;
      }
    }
  }
}
