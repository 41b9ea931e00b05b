package dev.berth.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.blob.Digest;
import dev.berth.server.StormRegistryClient.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of Berth at random points while clients write through ARM (resource groups, identities,
 * registry PATCHes and group DELETEs, long-running or not) and push images through the registry API
 * (monolithic and chunked uploads, manifests, repository deletes) with garbage collection running
 * every two seconds. After each restart: nothing stays in flight, every acknowledged write reads
 * back, every acknowledged operation ended Succeeded, every acknowledged image pulls whole, every
 * blob on disk re-hashes to its digest. Replicas are {@link DeployCrashIT}'s part.
 */
@Timeout(600)
class CrashStormIT {

  static final int KILLS = 8;
  private static final Map<String, String> ENV =
      Map.of(
          "BERTH_RUNTIME", "none",
          "BERTH_REGISTRY_GC_INTERVAL", "PT2S",
          "BERTH_REGISTRY_GC_GRACE", "PT15S");

  private static final Pattern RECOVERING =
      Pattern.compile("recovering (\\d+) operation\\(s\\) and (\\d+) resource");

  private static final Pattern COLLECTED =
      Pattern.compile("deleted (\\d+) unreferenced blobs \\((\\d+) bytes\\)");

  @TempDir Path dataDir;

  private final StormLedger ledger = new StormLedger();
  private final AtomicInteger counter = new AtomicInteger();
  private final Random random = new Random(Long.getLong("storm.seed", System.nanoTime()));
  private volatile boolean running;
  private volatile boolean killed;
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private BootstrapInfo boot;
  private String token;
  private String loginServer;
  private String adminPassword;
  private final byte[] base = bytes(256 * 1024);

  private BerthProcess start(int port) throws Exception {
    return BerthProcess.start(
        List.of("up", "--data-dir", dataDir.toString(), "--port", Integer.toString(port)), ENV);
  }

  private Https https() throws Exception {
    return new Https(dataDir.resolve("tls/ca.pem"), boot.managementEndpoint());
  }

  private StormRegistryClient registry() throws Exception {
    return new StormRegistryClient(
        dataDir.resolve("tls/ca.pem"), loginServer, "stormacr0", adminPassword);
  }

  private String group(String name) {
    return "/subscriptions/" + boot.subscriptionId() + "/resourceGroups/" + name;
  }

  private String registryId(int worker) {
    return group("storm") + "/providers/Microsoft.ContainerRegistry/registries/stormacr" + worker;
  }

  @Test
  void acknowledgedWritesSurviveKillMinus9AtRandomPoints() throws Exception {
    int port = BerthProcess.freePort();
    BerthProcess berth = start(port);
    List<Long> readyMillis = new ArrayList<>();
    List<Long> recoveredMillis = new ArrayList<>();
    StormChecks checks = new StormChecks(dataDir);
    int blobsChecked = 0;
    int recoveredOperations = 0;
    int recoveredResources = 0;
    long[] collected = {0, 0};
    try {
      setUp();
      for (int kill = 1; kill <= KILLS; kill++) {
        long loadMillis = 700L + random.nextInt(2800);
        List<Thread> workers = startWorkers();
        Thread.sleep(loadMillis);
        killed = true;
        berth.kill();
        running = false;
        for (Thread w : workers) {
          assertThat(w.join(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(failures).as("requests that failed while Berth was up").isEmpty();
        long t0 = System.nanoTime();
        BerthProcess previous = berth;
        berth = start(port);
        readyMillis.add((System.nanoTime() - t0) / 1_000_000);
        recoveredMillis.add(checks.awaitRecovered(Duration.ofSeconds(60)).toMillis());
        for (String line : berth.output()) {
          var m = RECOVERING.matcher(line);
          if (m.find()) {
            recoveredOperations += Integer.parseInt(m.group(1));
            recoveredResources += Integer.parseInt(m.group(2));
          }
        }
        collectedBy(previous, collected);
        Https https = https();
        checks.armWrites(ledger, https, token);
        checks.operations(ledger, https, token);
        checks.images(ledger, registry());
        blobsChecked += checks.blobsOnDisk();
        System.out.printf(
            "crash storm: kill %d after %d ms; ready in %d ms, recovered %d ms later; %d ARM"
                + " writes, %d operations, %d pushes acknowledged so far%n",
            kill,
            loadMillis,
            readyMillis.getLast(),
            recoveredMillis.getLast(),
            ledger.armWrites.get(),
            ledger.operations.size(),
            ledger.pushes.get());
      }
      assertThat(berth.interrupt(Duration.ofSeconds(30))).isIn(0, 130);
      collectedBy(berth, collected);
      assertThat(checks.inFlight()).isEmpty();
      System.out.printf(
          "crash storm figures: %d kills; %d acknowledged ARM writes, %d operations (all"
              + " Succeeded), %d acknowledged pushes, %d repository deletes; recovery resumed or"
              + " ended %d operations and %d resources; %d blob files re-hashed over the restarts"
              + " (%d at the end); GC deleted %d blobs (%d bytes) while pushes ran; restart to"
              + " ready max %d ms, ready to recovered max %d ms%n",
          KILLS,
          ledger.armWrites.get(),
          ledger.operations.size(),
          ledger.pushes.get(),
          ledger.deletedRepositories.size(),
          recoveredOperations,
          recoveredResources,
          blobsChecked,
          checks.blobsOnDisk(),
          collected[0],
          collected[1],
          readyMillis.stream().mapToLong(Long::longValue).max().orElse(0),
          recoveredMillis.stream().mapToLong(Long::longValue).max().orElse(0));
    } finally {
      berth.close();
    }
  }

  /** Adds what the garbage collections of one Berth process logged to {@code sums}. */
  private static void collectedBy(BerthProcess berth, long[] sums) {
    for (String line : berth.output()) {
      var m = COLLECTED.matcher(line);
      if (m.find()) {
        sums[0] += Long.parseLong(m.group(1));
        sums[1] += Long.parseLong(m.group(2));
      }
    }
  }

  /** The registries the workers PATCH and push to, created before the first kill. */
  private void setUp() throws Exception {
    boot =
        Https.JSON.readValue(
            Files.readString(dataDir.resolve("bootstrap.json")), BootstrapInfo.class);
    RegistryFixture fx = new RegistryFixture(boot, dataDir.resolve("tls/ca.pem"), dataDir);
    token = fx.owner;
    for (int w = 0; w < 2; w++) {
      String id = fx.createRegistry("storm", "stormacr" + w, "{\"adminUserEnabled\":true}");
      if (w == 0) {
        loginServer = fx.loginServer(id);
        adminPassword = fx.adminPassword(id);
      }
    }
  }

  private List<Thread> startWorkers() {
    killed = false;
    running = true;
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int worker = w;
      workers.add(Thread.ofVirtual().start(() -> quietly(() -> armWriter(worker))));
    }
    workers.add(Thread.ofVirtual().start(() -> quietly(this::pusher)));
    return workers;
  }

  /** Runs until the kill makes a request fail; a failure before the kill fails the test. */
  private void quietly(ThrowingRunnable work) {
    try {
      work.run();
    } catch (Exception | AssertionError e) {
      if (!killed) {
        failures.add(e);
      }
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void armWriter(int worker) throws Exception {
    Https https = https();
    List<String> mine = new ArrayList<>();
    while (running) {
      int n = counter.incrementAndGet();
      String group = group("storm-" + n);
      var put =
          https.send(
              "PUT",
              group + StormChecks.GROUP_API,
              token,
              "{\"location\":\"local\",\"tags\":{\"n\":\"" + n + "\"}}");
      assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
      ledger.groups.put(group, n);
      ledger.armWrites.incrementAndGet();
      mine.add(group);
      String identity =
          group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id" + n;
      var id =
          https.send("PUT", identity + StormChecks.IDENTITY_API, token, "{\"location\":\"local\"}");
      assertThat(id.statusCode()).as(id.body()).isIn(200, 201);
      ledger.identities.put(identity, group);
      ledger.armWrites.incrementAndGet();
      var patch =
          https.send(
              "PATCH",
              registryId(worker) + StormChecks.REGISTRY_API,
              token,
              "{\"tags\":{\"n\":\"" + n + "\"}}");
      assertThat(patch.statusCode()).as(patch.body()).isEqualTo(201);
      ledger.registryTags.merge(registryId(worker), n, Math::max);
      operation(patch.headers().firstValue("Azure-AsyncOperation").orElseThrow());
      if (n % 3 == 0 && mine.size() > 2) {
        String victim = mine.remove(ThreadLocalRandom.current().nextInt(mine.size() - 1));
        ledger.deleteSent.add(victim);
        var delete = https.send("DELETE", victim + StormChecks.GROUP_API, token, null);
        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(202);
        ledger.deletedGroups.add(victim);
        operation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow());
      }
    }
  }

  private void operation(String url) {
    ledger.operations.add(url.substring(url.indexOf("/subscriptions/")));
    ledger.armWrites.incrementAndGet();
  }

  private void pusher() throws Exception {
    StormRegistryClient registry = registry();
    List<String> mine = new ArrayList<>();
    while (running) {
      int n = counter.incrementAndGet();
      String repo = "storm/r" + n;
      String token = registry.token(repo);
      byte[] config = ("{\"n\":" + n + "}").getBytes(UTF_8);
      byte[] layer = bytes(384 * 1024 + n);
      Digest c = registry.pushMonolithic(token, repo, config);
      Digest shared = registry.pushMonolithic(token, repo, base);
      Digest own = registry.pushChunked(token, repo, layer, 100_000);
      Image image =
          registry.pushManifest(
              token,
              repo,
              "v" + n,
              c,
              config.length,
              List.of(shared, own),
              List.of((long) base.length, (long) layer.length));
      ledger.images.put(repo + ":v" + n, image);
      ledger.pushes.incrementAndGet();
      mine.add(repo);
      if (n % 4 == 0 && mine.size() > 2) {
        String victim = mine.remove(ThreadLocalRandom.current().nextInt(mine.size() - 1));
        ledger.repositoryDeleteSent.add(victim);
        if (registry.deleteRepository(registry.token(victim), victim)) {
          ledger.deletedRepositories.add(victim);
        }
      }
    }
  }

  private byte[] bytes(int size) {
    byte[] b = new byte[size];
    new Random(size * 31L + System.nanoTime()).nextBytes(b);
    return b;
  }
}
