package dev.berth.registry.distribution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import dev.berth.registry.AccessRequest;
import dev.berth.registry.Grant;
import dev.berth.registry.RegistryAccess;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStores;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A plain-HTTP Jetty on a free loopback port serving {@link DistributionApi} for one registry,
 * {@code myacr}, read from its ARM document in an in-memory store at every request (so a test may
 * delete and create it again), with an access layer that records every scope asked and refuses
 * requests carrying {@code X-Deny}. Not thread-safe to configure; the recorded list is thread-safe.
 */
final class RegistryServer implements AutoCloseable {

  final List<List<String>> asked = new CopyOnWriteArrayList<>();
  private final Server server;
  private final ServerConnector connector;

  static final ResourceId REGISTRY =
      ResourceId.resourceGroup("s", "rg")
          .provider("Microsoft.ContainerRegistry", "registries", "myacr");

  /** Where the registry's ARM document lives, as the control plane would write it. */
  final ResourceStore store = new InMemoryResourceStore();

  private final RegistryDirectory directory = new RegistryDirectory(store);
  private final DistributionApi api;

  RegistryServer(Path root) throws Exception {
    this(root, blobs -> blobs);
  }

  /** A server whose blob store is {@code wrap} of the filesystem one (tests put probes there). */
  RegistryServer(Path root, UnaryOperator<BlobStore> wrap) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(pool);
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    RegistryAccess access =
        (exchange, registry, wanted) -> {
          asked.add(wanted.stream().map(AccessRequest::toString).toList());
          if (exchange.header("X-Deny").isPresent()) {
            throw new RegistryException(
                RegistryErrorCode.UNAUTHORIZED,
                "authentication required",
                null,
                Map.of("WWW-Authenticate", "Bearer realm=\"x\",service=\"y\""));
          }
          return new Grant("tester", wanted);
        };
    api =
        new DistributionApi(
            wrap.apply(BlobStores.open(root.toUri().toString())),
            MetadataStore.open(root),
            access,
            Clock.systemUTC(),
            directory);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            HttpExchange exchange = new HttpExchange(request, response, callback);
            Optional<Registry> registry = directory.byId(REGISTRY);
            if (registry.isEmpty()) {
              response.setStatus(404);
              callback.succeeded();
              return true;
            }
            api.handle(exchange, registry.get());
            return true;
          }
        });
    server.start();
    create(Optional.of(AcrDocuments.newStorageKey("myacr")));
  }

  /**
   * Writes {@code myacr}'s document as the control plane creates it: with its storage key in the
   * hidden field, or (empty) without one, as registries created before keys existed.
   */
  void create(Optional<String> storageKey) {
    ObjectNode doc = Json.object().put("id", REGISTRY.value()).put("name", REGISTRY.name());
    doc.put("type", AcrDocuments.REGISTRY_TYPE);
    doc.putObject("properties").put("loginServer", "127.0.0.1:" + connector.getLocalPort());
    storageKey.ifPresent(
        key -> doc.putObject(AcrDocuments.HIDDEN).put(AcrDocuments.STORAGE_KEY, key));
    store.put(REGISTRY, doc, Precondition.NONE);
  }

  /** Deletes {@code myacr}'s documents, as the control plane does after its content port ran. */
  void deleteDocument() {
    store.deleteTree(REGISTRY);
  }

  /** The registry as the data plane sees it now. */
  Registry registry() {
    return directory.byId(REGISTRY).orElseThrow();
  }

  GarbageCollector garbageCollector() {
    return api.garbageCollector();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
