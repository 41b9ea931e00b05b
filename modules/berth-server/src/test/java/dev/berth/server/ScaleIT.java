package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.autoscaler.ScaleOverrides;
import dev.berth.registry.testing.OciLayouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Serverless scaling on real runc, with Berth's cooldown, polling interval and stable window
 * shortened: an idle app goes to zero replicas and the next request starts one (a cold start) and
 * is answered; 200 requests at once to an app at zero are all answered; load above {@code
 * concurrentRequests} per replica adds replicas up to {@code maxReplicas}, and they go after.
 */
class ScaleIT {

  @RegisterExtension
  static final RunningBerth BERTH =
      RunningBerth.withReplicas("10.214.5.0/24", "scl")
          .withIngress()
          .withScale(
              new ScaleOverrides(
                  Optional.of(Duration.ofSeconds(4)),
                  Optional.of(Duration.ofSeconds(1)),
                  Optional.of(Duration.ofSeconds(6))));

  static RegistryFixture fx;
  static AppFixture apps;
  static String environment;
  static String domain;
  static String loginServer;
  static String password;
  static HttpClient client;

  @BeforeAll
  static void pushAnImage() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    fx = new RegistryFixture(BERTH);
    apps = new AppFixture(fx);
    String registryId = fx.createRegistry("scale", "scaleacr", "{\"adminUserEnabled\":true}");
    loginServer = fx.loginServer(registryId);
    password = fx.adminPassword(registryId);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(
            OciLayouts.File.of("www/index.html", "hello\n"),
            // Holds a request for a second: load that keeps requests in flight.
            OciLayouts.File.executable(
                "www/cgi-bin/slow",
                "#!/bin/sh\necho 'Content-Type: text/plain'\necho\nsleep 1\necho slow\n"
                    .getBytes(StandardCharsets.UTF_8))),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    var pushed = fx.push(layout, loginServer, "scaleacr:" + password, "web:v1");
    assertThat(pushed.exit()).as(pushed.output()).isZero();
    environment = apps.createEnvironment("scale", "env");
    domain = apps.get(environment).at("/properties/defaultDomain").asText();
    client = new HttpClient();
    client.setMaxConnectionsPerDestination(512);
    client.setFollowRedirects(false);
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    if (client != null) {
      client.stop();
    }
  }

  static String app(String name) {
    return fx.group("scale") + "/providers/Microsoft.App/containerApps/" + name;
  }

  /** Deploys {@code name} with {@code min..max} replicas, each meant for {@code perReplica}. */
  static String deploy(String name, int min, int max, int perReplica) throws Exception {
    String body =
        """
        {"location":"local",
         "properties":{"environmentId":"%s",
           "configuration":{"activeRevisionsMode":"Single",
             "secrets":[{"name":"acr-pw","value":"%s"}],
             "registries":[{"server":"%s","username":"scaleacr","passwordSecretRef":"acr-pw"}],
             "ingress":{"external":true,"targetPort":8080,"allowInsecure":true}},
           "template":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web",
             "image":"%s/web:v1","resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "scale":{"minReplicas":%d,"maxReplicas":%d,"rules":[{"name":"http",
               "http":{"metadata":{"concurrentRequests":"%d"}}}]}}}}
        """
            .formatted(environment, password, loginServer, loginServer, min, max, perReplica);
    JsonNode op = apps.putApp(app(name), body);
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    return apps.get(app(name)).at("/properties/latestRevisionName").asText();
  }

  /** A GET through the ingress's plain HTTP listener, as {@code <app>.<domain>}. */
  static ContentResponse get(String appName, String path) throws Exception {
    long start = System.nanoTime();
    try {
      return client
          .newRequest("http://127.0.0.1:" + BERTH.server().ingressHttpPort() + path)
          .headers(h -> h.put("Host", appName + "." + domain))
          .timeout(60, TimeUnit.SECONDS)
          .send();
    } catch (Exception e) {
      // What the app's revision went through says why better than a timeout does.
      throw new AssertionError(
          "GET "
              + path
              + " of "
              + appName
              + " failed after "
              + Duration.ofNanos(System.nanoTime() - start).toMillis()
              + " ms; the app's system log:\n"
              + systemLog(appName),
          e);
    }
  }

  static int replicas(String appName, String revision) throws Exception {
    return apps.replicas(app(appName) + "/revisions/" + revision).size();
  }

  static String systemLog(String appName) throws Exception {
    try (Stream<Path> files = Files.walk(BERTH.dataDir().resolve("logs"))) {
      Optional<Path> log =
          files
              .filter(f -> f.getFileName().toString().equals("system.log"))
              .filter(f -> f.getParent().getFileName().toString().equals(appName))
              .findFirst();
      return log.isPresent() ? Files.readString(log.get()) : "";
    }
  }

  @Test
  void anIdleAppScalesToZeroAndItsNextRequestIsAnsweredByAColdStart() throws Exception {
    String revision = deploy("idle", 0, 2, 10);
    assertThat(get("idle", "/").getContentAsString()).isEqualTo("hello\n");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> replicas("idle", revision) == 0);
    assertThat(systemLog("idle")).contains("ScaledDown 1→0: no requests for");
    JsonNode atZero = apps.get(app("idle") + "/revisions/" + revision).path("properties");
    assertThat(atZero.path("replicas").asInt()).isZero();
    assertThat(atZero.path("active").asBoolean()).isTrue();

    long start = System.nanoTime();
    ContentResponse cold = get("idle", "/");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(cold.getStatus()).isEqualTo(200);
    assertThat(cold.getContentAsString()).isEqualTo("hello\n");
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(replicas("idle", revision)).isEqualTo(1);
    assertThat(systemLog("idle")).contains("ScaledUp 0→1: 1 in flight over 10 per replica");
  }

  @Test
  void twoHundredRequestsAtOnceToAnAppAtZeroAreAllAnswered() throws Exception {
    String revision = deploy("burst", 0, 3, 100);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> replicas("burst", revision) == 0);

    List<CompletableFuture<ContentResponse>> sent = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        sent.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return get("burst", "/index.html");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                threads));
      }
      for (CompletableFuture<ContentResponse> response : sent) {
        ContentResponse r = response.get(2, TimeUnit.MINUTES);
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        assertThat(r.getContentAsString()).isEqualTo("hello\n");
      }
    }
  }

  @Test
  void loadAboveConcurrentRequestsAddsReplicasUpToMaxAndTheyGoAfter() throws Exception {
    String revision = deploy("busy", 1, 3, 2);
    assertThat(get("busy", "/").getStatus()).isEqualTo(200);

    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      // Eight clients, each with one slow request in flight at a time: 8 over 2 per replica.
      List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clients.add(
            threads.submit(
                () -> {
                  while (loading.get()) {
                    try {
                      int status = get("busy", "/cgi-bin/slow").getStatus();
                      (status == 200 ? answered : failed).incrementAndGet();
                    } catch (Exception e) {
                      failed.incrementAndGet();
                    }
                  }
                }));
      }
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> replicas("busy", revision) == 3);
      } finally {
        loading.set(false);
      }
      for (java.util.concurrent.Future<?> c : clients) {
        c.get(1, TimeUnit.MINUTES);
      }
    }
    assertThat(failed.get()).isZero();
    assertThat(answered.get()).isPositive();
    assertThat(systemLog("busy")).contains("ScaledUp 1→");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> replicas("busy", revision) == 1);
    assertThat(systemLog("busy")).contains("ScaledDown 3→");
  }
}
