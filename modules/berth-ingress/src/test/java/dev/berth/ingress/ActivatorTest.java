package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.LoopbackServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The activator (requests for a revision with no ready replica are held, the revision is asked to
 * scale up, and the requests go to the first replica that is ready), retries on another replica,
 * and draining, on loopback.
 */
class ActivatorTest {

  private static final String HOST = "api.env.localhost";
  private static final String REVISION =
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.App/containerApps/api/revisions/api--v1";

  private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  @Test
  void aRequestAtZeroReplicasIsHeldAndAnsweredByTheFirstReadyReplica() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    ingress.routes.put(HOST, atZero());

    CompletableFuture<ContentResponse> held = send(ingress, "/hello");
    await().atMost(Duration.ofSeconds(5)).until(() -> ingress.activations.contains(REVISION));
    assertThat(held).isNotDone();
    assertThat(ingress.load.sample(REVISION).now()).isEqualTo(1);

    ingress.routes.put(HOST, servedBy(answering("first")));

    ContentResponse response = held.get(10, TimeUnit.SECONDS);
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getContentAsString()).isEqualTo("first /hello");
    await().atMost(Duration.ofSeconds(5)).until(() -> ingress.load.sample(REVISION).now() == 0);
  }

  /**
   * A held connection is not read (its body waits in the socket), so its client's leaving is seen
   * only once the request goes on; then it ends like any other, and leaves nothing counted.
   */
  @Test
  void aClientThatLeavesWhileHeldLeavesNoCountAndNoClaimBehind() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    ingress.routes.put(HOST, atZero());
    try (java.net.Socket client = new java.net.Socket("127.0.0.1", ingress.port())) {
      client
          .getOutputStream()
          .write(
              ("GET /gone HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      await().atMost(Duration.ofSeconds(5)).until(() -> ingress.activations.contains(REVISION));
      assertThat(ingress.load.sample(REVISION).now()).isEqualTo(1);
    }

    ingress.routes.put(HOST, servedBy(answering("first")));

    assertThat(ingress.get(HOST, "/next").getContentAsString()).isEqualTo("first /next");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                ingress.load.sample(REVISION).now() == 0
                    && ingress.load.inFlightTo("127.0.0.1") == 0);
  }

  @Test
  void aRequestThatWaitedForAReplicaIsReportedAsAColdStart() throws Exception {
    List<String> coldStarts = new java.util.concurrent.CopyOnWriteArrayList<>();
    IngressObserver observer =
        new IngressObserver() {
          @Override
          public void coldStart(String app, String revision, Duration duration) {
            coldStarts.add(app + " " + revision + " " + (duration.isPositive() ? "took" : "0"));
          }
        };
    IngressFixture ingress = new IngressFixture(IngressSettings.defaults(), false, observer);
    open.add(ingress);
    ingress.routes.put(HOST, atZero());
    CompletableFuture<ContentResponse> held = send(ingress, "/");
    await().atMost(Duration.ofSeconds(5)).until(() -> ingress.activations.contains(REVISION));

    ingress.routes.put(HOST, servedBy(answering("r")));

    assertThat(held.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
    assertThat(ingress.get(HOST, "/").getStatus()).isEqualTo(200);
    assertThat(coldStarts).containsExactly("api api--v1 took");
  }

  @Test
  void twoHundredConcurrentRequestsAtZeroAreAllAnsweredOnce() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    ingress.routes.put(HOST, atZero());
    List<CompletableFuture<ContentResponse>> held = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      held.add(send(ingress, "/" + i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> ingress.load.sample(REVISION).now() == 200);

    ingress.routes.put(HOST, servedBy(answering("r")));

    for (int i = 0; i < 200; i++) {
      ContentResponse response = held.get(i).get(20, TimeUnit.SECONDS);
      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getContentAsString()).isEqualTo("r /" + i);
    }
  }

  @Test
  void aRevisionThatFailsWhileRequestsWaitAnswersThemWithItsReason() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    ingress.routes.put(HOST, atZero());
    CompletableFuture<ContentResponse> held = send(ingress, "/");
    await().atMost(Duration.ofSeconds(5)).until(() -> !ingress.activations.isEmpty());

    ingress.routes.put(HOST, AppRoute.failed("api", true, "image pull UNAUTHORIZED"));

    ContentResponse response = held.get(10, TimeUnit.SECONDS);
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getContentAsString()).contains("image pull UNAUTHORIZED");
  }

  @Test
  void aHeldRequestGivesUpAtItsDeadlineWith503() throws Exception {
    IngressFixture ingress =
        ingress(IngressSettings.defaults().withRequestTimeout(Duration.ofMillis(300)));
    ingress.routes.put(HOST, atZero());

    ContentResponse response = send(ingress, "/").get(10, TimeUnit.SECONDS);

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaders().get("Retry-After")).isEqualTo("1");
    assertThat(response.getContentAsString()).contains("no replica of revision api--v1");
  }

  @Test
  void theActivatorHoldsNoMoreThanItsBoundPerRevision() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults().withMaxWaitingPerRevision(2));
    ingress.routes.put(HOST, atZero());
    CompletableFuture<ContentResponse> first = send(ingress, "/");
    CompletableFuture<ContentResponse> second = send(ingress, "/");
    await().atMost(Duration.ofSeconds(5)).until(() -> ingress.load.sample(REVISION).now() == 2);

    ContentResponse third = send(ingress, "/").get(10, TimeUnit.SECONDS);

    assertThat(third.getStatus()).isEqualTo(503);
    assertThat(third.getContentAsString()).contains("too many requests are already waiting");
    ingress.routes.put(HOST, servedBy(answering("r")));
    assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
    assertThat(second.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
  }

  @Test
  void aGetThatAReplicaRefusesGoesToAnotherReplica() throws Exception {
    everyGetIsAnsweredByTheLiveReplicaBeside(closedPort());
  }

  @Test
  void aGetWhoseReplicaDiesAfterReadingItGoesToAnotherReplica() throws Exception {
    try (RawBackend dying = RawBackend.answering("")) {
      everyGetIsAnsweredByTheLiveReplicaBeside(dying.route().backends().get(0).port());
    }
  }

  /** The replica is killed between its answer's head and its body: the client never sees either. */
  @Test
  void aGetWhoseReplicaDiesBetweenHeadAndBodyGoesToAnotherReplica() throws Exception {
    try (RawBackend dying = RawBackend.answering("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n")) {
      everyGetIsAnsweredByTheLiveReplicaBeside(dying.route().backends().get(0).port());
      assertThat(dying.accepted()).as("the dying replica was tried").isPositive();
    }
  }

  /**
   * Ten GETs to a revision of a failing replica on port {@code dead} and a live one: each is
   * answered by the live one.
   */
  private void everyGetIsAnsweredByTheLiveReplicaBeside(int dead) throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    LoopbackServer live = answering("live");
    ingress.routes.put(
        HOST,
        AppRoute.serving(
            "api",
            REVISION,
            true,
            List.of(new Backend("127.0.0.1", dead), new Backend("127.0.0.1", live.port()))));

    for (int i = 0; i < 10; i++) {
      ContentResponse response = ingress.get(HOST, "/" + i);
      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(response.getContentAsString()).isEqualTo("live /" + i);
    }
  }

  @Test
  void aPostWithABodyIsNotSentTwice() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    int dead = closedPort();
    ingress.routes.put(
        HOST, AppRoute.serving("api", REVISION, true, List.of(new Backend("127.0.0.1", dead))));

    ContentResponse response =
        ingress.request(HOST, "/").method("POST").body(new StringRequestContent("order=1")).send();

    assertThat(response.getStatus()).isEqualTo(502);
  }

  @Test
  void aDrainingReplicaGetsNoNewRequestAndItsDrainWaitsForThoseInFlight() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    CountDownLatch release = new CountDownLatch(1);
    LoopbackServer slow =
        server(
            (request, response, callback) -> {
              release.await(10, TimeUnit.SECONDS);
              return reply(response, callback, "slow");
            });
    LoopbackServer other = answering("other");
    ingress.routes.put(HOST, servedBy(slow, other));
    // Round robin: one of the first two requests lands on the slow replica and stays there.
    CompletableFuture<ContentResponse> a = send(ingress, "/");
    CompletableFuture<ContentResponse> b = send(ingress, "/");
    await().atMost(Duration.ofSeconds(5)).until(() -> ingress.load.inFlightTo("127.0.0.1") == 1);

    CompletableFuture<Boolean> drained =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ingress.load.drain("127.0.0.1", Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> ingress.load.isDraining("127.0.0.1"));
    assertThat(drained).isNotDone();
    release.countDown();

    assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(a.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
    assertThat(b.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
  }

  @Test
  void aRouteWhoseOnlyReplicaDrainsHoldsNewRequestsUntilAnotherIsReady() throws Exception {
    IngressFixture ingress = ingress(IngressSettings.defaults());
    LoopbackServer old = answering("old");
    ingress.routes.put(HOST, servedBy(old));
    ingress.load.drain("127.0.0.1", Duration.ZERO);

    CompletableFuture<ContentResponse> held = send(ingress, "/");
    await().atMost(Duration.ofSeconds(5)).until(() -> ingress.activations.contains(REVISION));
    ingress.load.drained("127.0.0.1");
    ingress.routes.put(HOST, servedBy(answering("new")));

    assertThat(held.get(10, TimeUnit.SECONDS).getContentAsString()).isEqualTo("new /");
  }

  private IngressFixture ingress(IngressSettings settings) throws Exception {
    IngressFixture ingress = new IngressFixture(settings, false);
    open.add(ingress);
    return ingress;
  }

  private static AppRoute atZero() {
    return AppRoute.serving("api", REVISION, true, List.of());
  }

  private static AppRoute servedBy(LoopbackServer... servers) {
    List<Backend> backends = new ArrayList<>();
    for (LoopbackServer s : servers) {
      backends.add(new Backend("127.0.0.1", s.port()));
    }
    return AppRoute.serving("api", REVISION, true, backends);
  }

  private static CompletableFuture<ContentResponse> send(IngressFixture ingress, String path) {
    org.eclipse.jetty.client.Request request =
        ingress.request(HOST, path).timeout(30, TimeUnit.SECONDS);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return request.send();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        VIRTUAL);
  }

  private LoopbackServer answering(String name) throws Exception {
    return server(
        (request, response, callback) ->
            reply(response, callback, name + " " + request.getHttpURI().getPath()));
  }

  private LoopbackServer server(org.eclipse.jetty.server.Request.Handler handler) throws Exception {
    LoopbackServer server = LoopbackServer.http(handler);
    open.add(server);
    return server;
  }

  private static boolean reply(Response response, Callback callback, String body) {
    response.setStatus(200);
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** A loopback port nothing listens on any more: connecting to it is refused. */
  private static int closedPort() throws Exception {
    try (LoopbackServer gone = LoopbackServer.http((request, response, callback) -> false)) {
      return gone.port();
    }
  }
}
