import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.ConnectionLimits;
import dev.berth.ingress.InMemoryRouteTable;
import dev.berth.ingress.IngressObserver;
import dev.berth.ingress.IngressServer;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.IngressTls;
import dev.berth.ingress.IngressWiring;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.util.List;
import java.util.Optional;

/**
 * bench/ingress: Berth's ingress (berth-ingress's IngressServer, as `berth up` runs it) on
 * 127.0.0.1:PORT, routing HOST to one backend at 127.0.0.1:BACKEND_PORT, for wrk to load. KIND is
 * "ingress", or "ingress+metrics": the ingress then reports every request to the server's
 * IngressMeters over a Prometheus registry, as in Berth (berth-server and Micrometer must be on the
 * class path); or "ingress+tls-jdk" / "ingress+tls-boringssl": HTTPS with CERT and KEY (PEM) on the
 * JDK's engine or on BoringSSL (netty-tcnative on the class path), as Berth's TLS providers make
 * them. Prints "ready" and runs until killed.
 *
 * <p>Usage: BenchIngress PORT HOST BACKEND_PORT KIND [CERT KEY]
 */
public final class BenchIngress {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String host = args[1];
    int backendPort = Integer.parseInt(args[2]);
    boolean metered = args[3].endsWith("+metrics");
    InMemoryRouteTable routes = new InMemoryRouteTable();
    routes.put(
        host,
        AppRoute.serving(
            "bench", "bench--1", true, List.of(new Backend("127.0.0.1", backendPort))));
    IngressObserver observer = metered ? meters() : IngressObserver.NONE;
    IngressServer ingress = new IngressServer(ConnectionLimits.lenient());
    Optional<IngressTls> tls = Optional.empty();
    if (args[3].contains("+tls-")) {
      SslContext context =
          SslContextBuilder.forServer(new File(args[4]), new File(args[5]))
              .sslProvider(
                  args[3].endsWith("boringssl") ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK)
              .protocols("TLSv1.3", "TLSv1.2")
              .applicationProtocolConfig(IngressTls.ALPN) // h2 and http/1.1, as Berth offers
              .build();
      tls = Optional.of(name -> context);
    }
    ingress.listen("127.0.0.1", port, tls);
    ingress.start(routes, IngressSettings.defaults(), IngressWiring.none().withObserver(observer));
    System.out.println("ready");
    Thread.currentThread().join();
  }

  /**
   * Berth's IngressMeters over Micrometer's Prometheus registry, by reflection: this file compiles
   * with berth-ingress alone on the class path.
   */
  static IngressObserver meters() throws ReflectiveOperationException {
    Class<?> config = Class.forName("io.micrometer.prometheusmetrics.PrometheusConfig");
    Object registry =
        Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
            .getConstructor(config)
            .newInstance(config.getField("DEFAULT").get(null));
    return (IngressObserver)
        Class.forName("dev.berth.server.metrics.IngressMeters")
            .getConstructor(Class.forName("io.micrometer.core.instrument.MeterRegistry"))
            .newInstance(registry);
  }
}
