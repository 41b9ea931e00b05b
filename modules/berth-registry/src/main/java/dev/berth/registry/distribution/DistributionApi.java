package dev.berth.registry.distribution;

import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.http.Route;
import dev.berth.http.Router;
import dev.berth.registry.RegistryAccess;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.blob.BlobStoreUnavailableException;
import dev.berth.registry.distribution.internal.Call;
import dev.berth.registry.distribution.internal.DistributionServices;
import dev.berth.registry.distribution.internal.ErrorResponses;
import dev.berth.registry.distribution.internal.ManifestCache;
import dev.berth.registry.distribution.internal.ManifestPushes;
import dev.berth.registry.distribution.internal.RegistryErrors;
import dev.berth.registry.distribution.internal.RegistryRoute;
import dev.berth.registry.distribution.internal.RegistryRoutes;
import dev.berth.registry.distribution.internal.RoutePaths;
import dev.berth.store.StoreUnavailableException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI distribution API ({@code /v2/…}) and ACR's metadata API ({@code /acr/v1/…}) of the
 * registries Berth hosts. The server routes a request to a registry by login server and calls
 * {@link #handle}. Each route declares the scopes it needs ({@link RegistryRoutes}); {@link
 * RegistryAccess} grants them or challenges before the route's handler runs. Thread-safe.
 */
public final class DistributionApi {

  private static final Logger LOG = LoggerFactory.getLogger(DistributionApi.class);
  private final Router<RegistryRoute> routes;
  private final RegistryAccess access;
  private final GarbageCollector garbageCollector;
  private final RepositoryWriter writer;
  private final RepositoryReader reader;

  /**
   * @param registries the registries that exist: garbage collection removes the metadata of the
   *     others
   */
  public DistributionApi(
      BlobStore blobs,
      MetadataStore metadata,
      RegistryAccess access,
      Clock clock,
      RegistryDirectory registries) {
    ManifestPushes pushes = new ManifestPushes();
    this.access = access;
    this.garbageCollector = new GarbageCollector(blobs, metadata, pushes, registries);
    ManifestCache manifests = new ManifestCache(4096);
    this.writer = new RepositoryWriter(blobs, metadata, clock, manifests, pushes);
    DistributionServices services =
        new DistributionServices(blobs, metadata, clock, manifests, pushes);
    this.reader = new RepositoryReader(services);
    this.routes = RegistryRoutes.table(services);
  }

  /** Reads the repositories these endpoints serve, from inside Berth (image imports). */
  public RepositoryReader reader() {
    return reader;
  }

  /** Writes into the repositories these endpoints serve, from inside Berth (image imports). */
  public RepositoryWriter writer() {
    return writer;
  }

  /**
   * The garbage collector of the blobs these endpoints store; it knows which manifest pushes are
   * running, so it is safe to run while they serve.
   */
  public GarbageCollector garbageCollector() {
    return garbageCollector;
  }

  /**
   * Every route these endpoints serve, with the access each declares: what a test sweeps to prove
   * that none answers without the credential and the scope it needs.
   */
  public List<Route<RegistryRoute>> routes() {
    return routes.routes();
  }

  /** Serves one request under {@code /v2/} or {@code /acr/v1/} of {@code registry}. */
  public void handle(HttpExchange exchange, Registry registry) {
    exchange.setHeader("Docker-Distribution-Api-Version", "registry/2.0");
    try {
      switch (routes.match(exchange.method(), RoutePaths.canonical(exchange.segments()))) {
        case Router.Match.Found<RegistryRoute> f -> {
          Call call = new Call(exchange, registry, f.vars());
          RegistryRoute route = f.route().payload();
          // Grant or challenge first: only a caller holding the route's scopes reaches it.
          access.authorize(exchange, registry, route.access().scopes(call));
          route.handler().handle(call);
        }
        case Router.Match.MethodNotAllowed<RegistryRoute> m -> {
          exchange.setHeader("Allow", String.join(", ", m.allowed()));
          throw RegistryException.of(
              RegistryErrorCode.METHOD_UNKNOWN, "unsupported method", exchange.method());
        }
        case Router.Match.NotFound<RegistryRoute> n ->
            throw RegistryException.of(
                RegistryErrorCode.NAME_UNKNOWN, "no registry API at this path", exchange.path());
      }
    } catch (RegistryException e) {
      fail(exchange, List.of(e));
    } catch (RegistryErrors e) {
      fail(exchange, e.errors());
    } catch (MalformedRequestException e) {
      // The client's bytes, not Berth: one line at DEBUG, no trace (a flood must not fill logs).
      LOG.debug("{} {} malformed: {}", exchange.method(), exchange.rawPath(), e.getMessage());
      fail(exchange, List.of(malformed(exchange, e)));
    } catch (StoreUnavailableException e) {
      throw e; // not a fault of Berth's: the front door answers 503 in the registry's envelope
    } catch (BlobStoreUnavailableException e) {
      // The blob service is down or refuses Berth's key: one line, and the client may retry.
      LOG.warn("{} {}: {}", exchange.method(), exchange.rawPath(), e.getMessage());
      if (!exchange.isSent()) {
        exchange.setHeader("Retry-After", "5");
      }
      fail(
          exchange,
          List.of(
              RegistryException.of(
                  RegistryErrorCode.UNAVAILABLE,
                  "the registry's blob storage cannot be reached now; try again shortly")));
    } catch (Exception e) {
      LOG.error("{} {} failed", exchange.method(), exchange.rawPath(), e);
      fail(
          exchange,
          List.of(RegistryException.of(RegistryErrorCode.UNKNOWN, "unknown error", null)));
    }
  }

  /**
   * A malformed path, query or body in the spec's codes (which have no generic "bad request"): the
   * path names the repository; a query or body belongs to an upload, a manifest or a listing.
   */
  static RegistryException malformed(HttpExchange exchange, MalformedRequestException e) {
    RegistryErrorCode code;
    if (e.part() == MalformedRequestException.Part.PATH) {
      code = RegistryErrorCode.NAME_INVALID;
    } else if (exchange.segments().contains("uploads")) {
      code = RegistryErrorCode.BLOB_UPLOAD_INVALID;
    } else if (exchange.segments().contains("manifests")) {
      code = RegistryErrorCode.MANIFEST_INVALID;
    } else if (e.part() == MalformedRequestException.Part.QUERY) {
      code = RegistryErrorCode.PAGINATION_NUMBER_INVALID;
    } else {
      code = RegistryErrorCode.BLOB_UPLOAD_INVALID;
    }
    return RegistryException.of(code, e.getMessage());
  }

  private static void fail(HttpExchange exchange, List<RegistryException> errors) {
    if (exchange.isSent()) {
      LOG.warn("{} {} failed after the response started", exchange.method(), exchange.rawPath());
      return;
    }
    ErrorResponses.send(exchange, errors);
  }
}
