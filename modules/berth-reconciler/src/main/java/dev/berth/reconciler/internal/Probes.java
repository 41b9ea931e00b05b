package dev.berth.reconciler.internal;

import dev.berth.api.app.Container;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Container Apps' probes ({@code template.containers[].probes[]}: {@code httpGet} or {@code
 * tcpSocket}), run from the host against a replica's own address. When a container declares no
 * startup or readiness probe but the app has ingress, a TCP probe on the target port stands in for
 * them, as Container Apps does.
 */
public final class Probes {

  /** One probe, its kind and its timings. */
  public record Probe(
      String type,
      String scheme,
      String path,
      int port,
      boolean http,
      Duration timeout,
      Duration period,
      int failureThreshold,
      Duration initialDelay) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(1))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private Probes() {}

  /** The probes of a container; the default TCP readiness probe when it has none and a port. */
  public static List<Probe> of(Container container, int ingressTargetPort) {
    List<Probe> probes = new ArrayList<>();
    for (Container.Probe p : container.probes()) {
      probes.add(
          new Probe(
              p.type().toLowerCase(Locale.ROOT),
              p.scheme(),
              p.path(),
              p.port().orElse(ingressTargetPort),
              p.httpGet(),
              Duration.ofSeconds(Math.max(1, p.timeoutSeconds())),
              Duration.ofSeconds(Math.max(1, p.periodSeconds())),
              Math.max(1, p.failureThreshold()),
              Duration.ofSeconds(p.initialDelaySeconds())));
    }
    boolean gated = probes.stream().anyMatch(p -> !p.type().equals("liveness"));
    if (!gated && ingressTargetPort > 0) {
      probes.add(
          new Probe(
              "readiness",
              "HTTP",
              "/",
              ingressTargetPort,
              false,
              Duration.ofSeconds(1),
              Duration.ofSeconds(10),
              3,
              Duration.ZERO));
    }
    return probes;
  }

  /** Whether the probe passes against {@code address} now. */
  public static boolean passes(Probe probe, String address) {
    return probe.http() ? httpPasses(probe, address) : tcpPasses(probe, address);
  }

  private static boolean tcpPasses(Probe probe, String address) {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(address, probe.port()), (int) probe.timeout().toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean httpPasses(Probe probe, String address) {
    String path = probe.path().startsWith("/") ? probe.path() : "/" + probe.path();
    URI uri =
        URI.create(
            probe.scheme().toLowerCase(Locale.ROOT) + "://" + address + ":" + probe.port() + path);
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(probe.timeout()).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      // Kubernetes' rule, which Container Apps follows: 200-399 is success.
      return response.statusCode() >= 200 && response.statusCode() < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
