package dev.berth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.berth.api.app.Container;
import dev.berth.reconciler.internal.Probes;
import dev.berth.reconciler.internal.Probes.Probe;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Container Apps' probes, run against a real HTTP server on loopback. */
class ProbesTest {

  final HttpServer server;
  volatile int status = 200;

  ProbesTest() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/healthz",
        exchange -> {
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  List<Probe> probes(String json) throws Exception {
    return Probes.of(new Container(new ObjectMapper().readTree(json)), 0);
  }

  @Test
  void anHttpProbePassesOn2xxAnd3xxAndFailsOtherwise() throws Exception {
    int port = server.getAddress().getPort();
    Probe readiness =
        probes(
                "{\"probes\":[{\"type\":\"Readiness\",\"httpGet\":{\"path\":\"/healthz\",\"port\":"
                    + port
                    + "}}]}")
            .get(0);
    assertThat(readiness.type()).isEqualTo("readiness");
    assertThat(Probes.passes(readiness, "127.0.0.1")).isTrue();
    status = 302;
    assertThat(Probes.passes(readiness, "127.0.0.1")).isTrue();
    status = 500;
    assertThat(Probes.passes(readiness, "127.0.0.1")).isFalse();
  }

  @Test
  void aTcpProbePassesWhenSomethingListens() throws Exception {
    int port = server.getAddress().getPort();
    Probe tcp =
        probes("{\"probes\":[{\"type\":\"Liveness\",\"tcpSocket\":{\"port\":" + port + "}}]}")
            .get(0);
    assertThat(Probes.passes(tcp, "127.0.0.1")).isTrue();
    server.stop(0);
    assertThat(Probes.passes(tcp, "127.0.0.1")).isFalse();
  }

  @Test
  void withoutReadinessProbesTheIngressPortStandsIn() throws Exception {
    List<Probe> defaults = Probes.of(new Container(new ObjectMapper().readTree("{}")), 8080);
    assertThat(defaults)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.type()).isEqualTo("readiness");
              assertThat(p.port()).isEqualTo(8080);
              assertThat(p.http()).isFalse();
            });
    assertThat(Probes.of(new Container(new ObjectMapper().readTree("{}")), 0)).isEmpty();
  }
}
