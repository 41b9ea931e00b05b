package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection flood against {@code bin/berth up} in its own process, all on loopback: 5 000 slow
 * connections (slowloris and idle TLS handshakes) and a burst of requests, all from 127.0.0.1.
 * Meanwhile and right after, another client (127.0.0.2) gets its ARM answer within a second; the
 * slow connections Berth accepted are closed at its header deadline; 30 s after the flood Berth's
 * resident memory is within 20 % of what it was idle. Prints the figures (docs/benchmarks.md).
 */
class FloodIT {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
  private static final String SUBSCRIPTIONS = "/subscriptions?api-version=2022-12-01";

  @Test
  @Timeout(180)
  @SuppressWarnings("FutureReturnValueIgnored") // the watchers report through peak and during
  void berthKeepsAnsweringOthersDuringASlowConnectionFloodAndGivesItsMemoryBack(
      @TempDir Path dataDir) throws Exception {
    int port = BerthProcess.freePort();
    try (BerthProcess berth =
        BerthProcess.launcher(
            List.of("up", "--data-dir", dataDir.toString(), "--port", Integer.toString(port)),
            Map.of())) {
      BootstrapInfo b =
          Https.JSON.readValue(
              Files.readString(dataDir.resolve("bootstrap.json")), BootstrapInfo.class);
      Path ca = dataDir.resolve("tls/ca.pem");
      Https https = new Https(ca, b.managementEndpoint());
      String token =
          https.token(b.tenantId(), b.clientId(), b.clientSecret(), b.managementEndpoint());
      Victim victim = new Victim(Https.trusting(ca), port, token);

      // Idle is measured warm: after a few seconds of the requests the flood sends (enough to pass
      // through the young generation once, whose pages then stay resident), and once the native
      // heap has been trimmed (bin/berth: every 5 s).
      AtomicBoolean warming = new AtomicBoolean(true);
      try (ExecutorService warm = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 32; i++) {
          warm.execute(() -> burst(https, token, new ConcurrentHashMap<>(), warming));
        }
        for (int i = 0; i < 20; i++) {
          victim.get();
          Thread.sleep(200);
        }
        warming.set(false);
      }
      Thread.sleep(6000);
      long idle = rssKb(berth.pid());

      AtomicLong peak = new AtomicLong(idle);
      AtomicBoolean flooding = new AtomicBoolean(true);
      List<Long> during = new CopyOnWriteArrayList<>();
      Map<Integer, Integer> burst = new ConcurrentHashMap<>();
      long floodStarted = System.nanoTime();
      // The victim and the sampler on threads of their own: on the virtual threads' carriers they
      // would wait behind the flood's own TLS handshakes, in this JVM, and time those too.
      try (ExecutorService watchers = Executors.newFixedThreadPool(2);
          ExecutorService side = Executors.newVirtualThreadPerTaskExecutor();
          SlowConnections slow = new SlowConnections()) {
        watchers.submit(() -> sample(berth.pid(), peak, flooding));
        watchers.submit(() -> measure(victim, during, flooding));
        // The burst first, so its kept-alive connections are among the address's 256.
        for (int i = 0; i < 32; i++) {
          side.execute(() -> burst(https, token, burst, flooding));
        }
        Thread.sleep(500);
        slow.open(SlowConnections.Kind.SLOWLORIS, 2500, "127.0.0.1", port);
        slow.open(SlowConnections.Kind.IDLE_HANDSHAKE, 2500, "127.0.0.1", port);
        slow.awaitOpened(Duration.ofSeconds(60));
        long opened = System.nanoTime();
        int held = slow.opened();
        // The header deadline is 10 s from Berth's accept, swept every second. A connection may
        // wait in the kernel's accept queue before that (seen: over 2 s on a loaded 2-core machine
        // while 5 000 connections arrive at once; once, in CI, one was still open 16 s after its
        // connect), so nearly all must be closed 16 s after their connect, and every one by 25 s:
        // still under the 30 s idle timeout, which would close a connection sending nothing even
        // without the deadline. Taking the deadline out fails both.
        sleepUntil(opened, Duration.ofSeconds(16));
        List<SlowConnections.Open> late = slow.openLongerThan(Duration.ofSeconds(16));
        sleepUntil(opened, Duration.ofSeconds(late.isEmpty() ? 0 : 25));
        List<SlowConnections.Open> stillOpen = slow.openLongerThan(Duration.ofSeconds(25));
        flooding.set(false);
        System.out.printf(
            "flood: %d slow connections opened (%d refused in the handshake), %d still open 16 s"
                + " after their connect (the first: %s), %d at 25 s; burst answers %s%n",
            held,
            slow.failed(),
            late.size(),
            late.subList(0, Math.min(5, late.size())),
            stillOpen.size(),
            burst);
        assertThat(late)
            .as("slow connections open 16 s after their connect")
            .hasSizeLessThan(held / 100);
        assertThat(stillOpen).as("slow connections outliving the header deadline").isEmpty();
      }
      long floodEnded = System.nanoTime();

      List<Long> after = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        after.add(victim.get());
        Thread.sleep(200);
      }
      Thread.sleep(
          Math.max(0, 30_000 - Duration.ofNanos(System.nanoTime() - floodEnded).toMillis()));
      long settled = rssKb(berth.pid());

      System.out.printf(
          "flood figures: idle RSS %d MB, peak %d MB, 30 s after %d MB (%+.0f %%); victim during"
              + " (%d answers) max %d ms, right after max %d ms; flood lasted %d s%n"
              + "victim answers during, ms: %s%n",
          idle / 1024,
          peak.get() / 1024,
          settled / 1024,
          100.0 * (settled - idle) / idle,
          during.size(),
          during.stream().mapToLong(Long::longValue).max().orElse(-1),
          after.stream().mapToLong(Long::longValue).max().orElse(-1),
          Duration.ofNanos(floodEnded - floodStarted).toSeconds(),
          during);
      assertThat(during).as("ARM answers to 127.0.0.2 during the flood").hasSizeGreaterThan(10);
      assertThat(during).allSatisfy(ms -> assertThat(ms).isLessThan(ANSWER_WITHIN.toMillis()));
      assertThat(after).allSatisfy(ms -> assertThat(ms).isLessThan(ANSWER_WITHIN.toMillis()));
      assertThat(settled).as("RSS 30 s after the flood, KB").isLessThanOrEqualTo(idle * 12 / 10);
    }
  }

  private static void sleepUntil(long startNanos, Duration after) throws InterruptedException {
    Thread.sleep(
        Math.max(
            0, after.toMillis() - Duration.ofNanos(System.nanoTime() - startNanos).toMillis()));
  }

  /** Another client, on its own address: one new TLS connection per ARM request. */
  private record Victim(SSLContext tls, int port, String token) {
    /** Milliseconds until the whole 200 answer arrived. */
    long get() throws IOException {
      long started = System.nanoTime();
      try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
        s.bind(new InetSocketAddress("127.0.0.2", 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        s.getOutputStream()
            .write(
                ("GET "
                        + SUBSCRIPTIONS
                        + " HTTP/1.1\r\nHost: 127.0.0.1:"
                        + port
                        + "\r\nAuthorization: Bearer "
                        + token
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!response.startsWith("HTTP/1.1 200")) {
          throw new IOException("ARM answered " + response.lines().findFirst().orElse(""));
        }
      }
      return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
  }

  private static Void measure(Victim victim, List<Long> during, AtomicBoolean flooding)
      throws Exception {
    while (flooding.get()) {
      during.add(victim.get());
      Thread.sleep(200);
    }
    return null;
  }

  private static Void burst(
      Https https, String token, Map<Integer, Integer> statuses, AtomicBoolean flooding) {
    while (flooding.get()) {
      int status;
      try {
        status = https.send("GET", SUBSCRIPTIONS, token, null).statusCode();
      } catch (Exception e) {
        status = -1; // refused: over the address's connection cap
      }
      statuses.merge(status, 1, Integer::sum);
    }
    return null;
  }

  private static Void sample(long pid, AtomicLong peak, AtomicBoolean flooding) throws Exception {
    while (flooding.get()) {
      peak.accumulateAndGet(rssKb(pid), Math::max);
      Thread.sleep(250);
    }
    return null;
  }

  /** The process's resident set, from /proc. */
  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }
}
