import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.InMemoryRouteTable;
import dev.berth.ingress.Ingress;
import dev.berth.ingress.IngressObserver;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.IngressWiring;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * bench/ingress: serves Berth's ingress handler on 127.0.0.1:PORT, routing HOST to one backend at
 * 127.0.0.1:BACKEND_PORT (for wrk to load), or, with "static" in place of HOST, a static 93-byte
 * page (the backend when nginx is not installed). THREADS is "virtual" (Berth's server: a
 * VirtualThreadPool) or "queued" (Jetty's default pool), optionally followed by "+metrics": the
 * ingress then reports to the server's IngressMeters over a Prometheus registry, as in Berth
 * (berth-server and Micrometer must be on the class path). Prints "ready" and runs until killed.
 *
 * <p>Usage: IngressServer PORT HOST|static BACKEND_PORT THREADS
 */
public final class IngressServer {

  static final byte[] PAGE =
      ("<html><body>berth anchor baseline: ok " + "x".repeat(40) + "</body></html>\n")
          .getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String host = args[1];
    int backendPort = Integer.parseInt(args[2]);
    boolean metered = args[3].endsWith("+metrics");
    String pool = metered ? args[3].substring(0, args[3].length() - "+metrics".length()) : args[3];
    ThreadPool threads = "queued".equals(pool) ? new QueuedThreadPool() : new VirtualThreadPool(8192);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    if ("static".equals(host)) {
      server.setHandler(
          new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
              response.getHeaders().put("Content-Type", "text/html");
              response.write(true, ByteBuffer.wrap(PAGE), callback);
              return true;
            }
          });
    } else {
      InMemoryRouteTable routes = new InMemoryRouteTable();
      routes.put(
          host, AppRoute.serving("bench", "bench--1", true, List.of(new Backend("127.0.0.1", backendPort))));
      IngressObserver observer = metered ? meters() : IngressObserver.NONE;
      server.setHandler(
          Ingress.handler(
              routes, IngressSettings.defaults(), IngressWiring.none().withObserver(observer)));
    }
    server.start();
    System.out.println("ready");
    server.join();
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
