import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Slow connections against a running Berth, spread over SOURCES loopback addresses (127.0.1.x),
 * half slowloris (TLS handshake, then headers that never end) and half idle handshakes (5 bytes of
 * a ClientHello). Meanwhile another client (127.0.0.2) times an ARM GET on a new TLS connection
 * every 200 ms. Prints Berth's RSS (idle, peak, and each 5 s for 30 s after the flood) and the
 * victim's latencies. Usage: java Flood.java PORT CA_PEM TOKEN PID CONNECTIONS SOURCES
 */
public class Flood {
  static final String PATH = "/subscriptions?api-version=2022-12-01";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    SSLContext trusted = trusting(Path.of(args[1]));
    String token = args[2];
    long pid = Long.parseLong(args[3]);
    int connections = Integer.parseInt(args[4]);
    int sources = Integer.parseInt(args[5]);

    // Warm: 3 s of requests from 32 clients (the young generation is passed through once, and its
    // pages stay resident), then a native-heap trim interval (bin/berth: 5 s).
    long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    try (ExecutorService warm = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 32; i++) {
        warm.submit(() -> {
          while (System.nanoTime() < warmUntil) {
            victim(trusted, port, token);
          }
          return null;
        });
      }
    }
    Thread.sleep(6000);
    long idle = rss(pid);
    long idleHeap = heapRss(pid);
    java.util.Map<String, Long> idleNative = nativeMemory(pid);
    AtomicLong peak = new AtomicLong(idle);
    AtomicBoolean flooding = new AtomicBoolean(true);
    List<Long> during = Collections.synchronizedList(new ArrayList<>());
    List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    Thread watcher = Thread.ofPlatform().start(() -> {
      while (flooding.get()) {
        try {
          during.add(victim(trusted, port, token));
          peak.accumulateAndGet(rss(pid), Math::max);
          Thread.sleep(200);
        } catch (Exception e) {
          during.add(-1L);
        }
      }
    });
    long started = System.nanoTime();
    Semaphore inFlight = new Semaphore(64);
    AtomicLong refused = new AtomicLong();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < connections; i++) {
        String source = "127.0.1." + (1 + i % sources);
        boolean slowloris = i % 2 == 0;
        threads.submit(() -> {
          inFlight.acquire();
          try {
            held.add(open(source, port, slowloris));
          } catch (IOException e) {
            refused.incrementAndGet();
          } finally {
            inFlight.release();
          }
          return null;
        });
      }
    }
    long openedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    Thread.sleep(13_000);
    int open = 0;
    for (Socket s : held) {
      open += stillOpen(s) ? 1 : 0;
    }
    flooding.set(false);
    watcher.join();
    for (Socket s : held) {
      s.close();
    }
    List<Long> after = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      after.add(victim(trusted, port, token));
      Thread.sleep(200);
    }
    System.out.printf("connections: %d asked, %d refused in the handshake, opened in %d ms;"
        + " still open 13 s later: %d%n", connections, refused.get(), openedMs, open);
    System.out.printf("victim during: n=%d median %d ms, max %d ms (-1 = failed); right after: max %d ms%n",
        during.size(), median(during), Collections.max(during), Collections.max(after));
    System.out.printf("RSS: idle %d MB (Java heap %d MB), peak %d MB%n", idle / 1024, idleHeap / 1024,
        peak.get() / 1024);
    for (int s = 5; s <= 30; s += 5) {
      Thread.sleep(5000);
      long now = rss(pid);
      System.out.printf("RSS %2d s after: %d MB (%+.0f %%; Java heap %d MB)%n", s, now / 1024,
          100.0 * (now - idle) / idle, heapRss(pid) / 1024);
    }
    // With BERTH_JAVA_OPTS=-XX:NativeMemoryTracking=summary: what grew, by NMT category.
    java.util.Map<String, Long> afterNative = nativeMemory(pid);
    afterNative.forEach((category, kb) -> {
      long before = idleNative.getOrDefault(category, 0L);
      if (Math.abs(kb - before) >= 1024) {
        System.out.printf("NMT %s: %d MB -> %d MB%n", category, before / 1024, kb / 1024);
      }
    });
  }

  static Socket open(String source, int port, boolean slowloris) throws IOException {
    Socket raw = new Socket();
    raw.bind(new InetSocketAddress(source, 0));
    raw.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    raw.setSoTimeout(10_000);
    if (!slowloris) {
      raw.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
      return raw;
    }
    SSLSocket tls = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
    tls.startHandshake();
    tls.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
    return tls;
  }

  static boolean stillOpen(Socket s) {
    try {
      s.setSoTimeout(1);
      return s.getInputStream().read() >= 0;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static long victim(SSLContext tls, int port, String token) throws IOException {
    long t0 = System.nanoTime();
    try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
      s.bind(new InetSocketAddress("127.0.0.2", 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!r.startsWith("HTTP/1.1 200")) {
        throw new IOException(r.lines().findFirst().orElse("no answer"));
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException("no VmRSS");
  }

  /** Resident KB of the Java heap's mappings (their range from jcmd GC.heap_info). */
  static long heapRss(long pid) throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
    String info = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(30, TimeUnit.SECONDS);
    long low = Long.MAX_VALUE, high = 0;
    var m = java.util.regex.Pattern.compile("\\[0x([0-9a-f]+), 0x[0-9a-f]+, 0x([0-9a-f]+)\\)").matcher(info);
    while (m.find()) {
      low = Math.min(low, Long.parseLong(m.group(1), 16));
      high = Math.max(high, Long.parseLong(m.group(2), 16));
    }
    long kb = 0;
    boolean in = false;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
      var range = java.util.regex.Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ").matcher(line);
      if (range.find()) {
        long start = Long.parseUnsignedLong(range.group(1), 16);
        in = Long.compareUnsigned(start, low) >= 0 && Long.compareUnsigned(start, high) < 0;
      } else if (in && line.startsWith("Rss:")) {
        kb += Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return kb;
  }

  /** Committed KB by NMT category; empty when native memory tracking is off. */
  static java.util.Map<String, Long> nativeMemory(long pid) throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(30, TimeUnit.SECONDS);
    java.util.Map<String, Long> committed = new java.util.TreeMap<>();
    var m = java.util.regex.Pattern.compile("(?m)^(?:-\\s+)?([A-Za-z][A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB")
        .matcher(out);
    while (m.find()) {
      committed.put(m.group(1).strip(), Long.parseLong(m.group(2)));
    }
    var malloc = java.util.regex.Pattern.compile("malloc: (\\d+)KB").matcher(out);
    if (malloc.find()) {
      committed.put("(all malloc)", Long.parseLong(malloc.group(1)));
    }
    return committed;
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  static final SSLContext TRUST_ALL = trustAll();

  static SSLContext trustAll() {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {new X509TrustManager() {
        public void checkClientTrusted(X509Certificate[] c, String a) {}
        public void checkServerTrusted(X509Certificate[] c, String a) {}
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
      }}, null);
      return ssl;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
