package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.LoopbackServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingress tells its {@link IngressObserver} of every request for an app, once as it starts and
 * once as it ends, with the app, the revision and the status the client got; never of a request for
 * an unknown host.
 */
class IngressObserverTest {

  /** What the observer was told, in order. */
  record Event(String kind, String app, String revision, int status, long nanos) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final IngressObserver recorder =
      new IngressObserver() {
        @Override
        public void started(String app, String revision) {
          events.add(new Event("started", app, revision, 0, 0));
        }

        @Override
        public void finished(String app, String revision, int status, long nanos) {
          events.add(new Event("finished", app, revision, status, nanos));
        }
      };

  private IngressFixture ingress;
  private LoopbackServer replica;

  @BeforeEach
  void start() throws Exception {
    ingress = new IngressFixture(IngressSettings.defaults(), false, recorder);
    replica =
        LoopbackServer.http(
            (request, response, callback) -> {
              response.setStatus(201);
              response.write(
                  true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
              return true;
            });
  }

  @AfterEach
  void stop() throws Exception {
    replica.close();
    ingress.close();
  }

  /** The next {@code started} and {@code finished} of one request. */
  private List<Event> nextRequest() throws InterruptedException {
    Event started = events.poll(10, TimeUnit.SECONDS);
    Event finished = events.poll(10, TimeUnit.SECONDS);
    return java.util.Arrays.asList(started, finished);
  }

  @Test
  void aProxiedRequestIsReportedWithItsAppRevisionAndStatus() throws Exception {
    ingress.routes.put(
        "web.env.localhost",
        AppRoute.serving(
            "web", "web--v2", true, List.of(new Backend("127.0.0.1", replica.port()))));

    assertThat(ingress.get("web.env.localhost", "/").getStatus()).isEqualTo(201);

    List<Event> seen = nextRequest();
    assertThat(seen.get(0)).isEqualTo(new Event("started", "web", "web--v2", 0, 0));
    assertThat(seen.get(1).kind()).isEqualTo("finished");
    assertThat(seen.get(1).app()).isEqualTo("web");
    assertThat(seen.get(1).revision()).isEqualTo("web--v2");
    assertThat(seen.get(1).status()).isEqualTo(201);
    assertThat(seen.get(1).nanos()).isPositive();
  }

  @Test
  void theIngressOwnAnswersAreReportedToo() throws Exception {
    ingress.routes.put("idle.env.localhost", AppRoute.serving("idle", true, List.of()));
    ingress.routes.put("tls.env.localhost", AppRoute.serving("tls", false, List.of()));
    ingress.routes.put(
        "bad.env.localhost", AppRoute.failed("bad", "bad--1", true, "image pull failed"));

    assertThat(ingress.get("idle.env.localhost", "/").getStatus()).isEqualTo(503);
    assertThat(nextRequest().get(1).status()).isEqualTo(503);
    assertThat(ingress.get("tls.env.localhost", "/").getStatus()).isEqualTo(301);
    assertThat(nextRequest().get(1))
        .extracting(Event::app, Event::status)
        .containsExactly("tls", 301);
    assertThat(ingress.get("bad.env.localhost", "/").getStatus()).isEqualTo(503);
    assertThat(nextRequest().get(1))
        .extracting(Event::revision, Event::status)
        .containsExactly("bad--1", 503);
  }

  @Test
  void aReplicaThatRefusesIsReportedAs502() throws Exception {
    int closedPort;
    try (LoopbackServer gone = LoopbackServer.http((request, response, callback) -> false)) {
      closedPort = gone.port();
    }
    ingress.routes.put(
        "gone.env.localhost",
        AppRoute.serving("gone", "gone--1", true, List.of(new Backend("127.0.0.1", closedPort))));

    assertThat(ingress.get("gone.env.localhost", "/").getStatus()).isEqualTo(502);
    assertThat(nextRequest().get(1).status()).isEqualTo(502);
  }

  @Test
  void aStreamCutMidwayEndsOnceWithTheStatusSent() throws Exception {
    try (RawBackend dying =
        RawBackend.answering(
            "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(10))) {
      ingress.routes.put("raw.env.localhost", dying.route());

      assertThatThrownBy(() -> ingress.get("raw.env.localhost", "/"))
          .isInstanceOf(ExecutionException.class);
      List<Event> seen = nextRequest();
      assertThat(seen.get(1))
          .extracting(Event::kind, Event::status)
          .containsExactly("finished", 200);
      assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("reported once").isNull();
    }
  }

  @Test
  void anUnknownHostIsNotReported() throws Exception {
    assertThat(ingress.get("nothing.env.localhost", "/").getStatus()).isEqualTo(404);

    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }
}
