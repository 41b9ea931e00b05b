package dev.berth.registry.distribution;

import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.registry.RegistryAccess;
import dev.berth.registry.RegistryDirectory;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobStore;
import dev.berth.registry.distribution.internal.AcrHandler;
import dev.berth.registry.distribution.internal.BlobHandler;
import dev.berth.registry.distribution.internal.Call;
import dev.berth.registry.distribution.internal.ErrorResponses;
import dev.berth.registry.distribution.internal.ListingHandler;
import dev.berth.registry.distribution.internal.ManifestCache;
import dev.berth.registry.distribution.internal.ManifestHandler;
import dev.berth.registry.distribution.internal.ManifestPushes;
import dev.berth.registry.distribution.internal.RegistryErrors;
import dev.berth.registry.distribution.internal.RouteTable;
import dev.berth.registry.distribution.internal.Services;
import dev.berth.registry.distribution.internal.UploadHandler;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI distribution API ({@code /v2/…}) and ACR's metadata API ({@code /acr/v1/…}) of the
 * registries Berth hosts. The server routes a request to a registry by login server and calls
 * {@link #handle}; every handler asks {@link RegistryAccess} for the scopes it needs before doing
 * anything. Thread-safe.
 */
public final class DistributionApi {

  private static final Logger LOG = LoggerFactory.getLogger(DistributionApi.class);
  private final RouteTable routes;
  private final GarbageCollector garbageCollector;

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
    Services services =
        new Services(blobs, metadata, access, clock, new ManifestCache(4096), pushes);
    this.garbageCollector = new GarbageCollector(blobs, metadata, pushes, registries);
    BlobHandler blob = new BlobHandler(services);
    UploadHandler upload = new UploadHandler(services);
    ManifestHandler manifest = new ManifestHandler(services);
    ListingHandler list = new ListingHandler(services);
    AcrHandler acr = new AcrHandler(services, list);
    this.routes =
        RouteTable.builder()
            .route("GET", "/v2", list::version)
            .route("GET", "/v2/_catalog", list::catalog)
            .route("GET", "/v2/{name}/blobs/{digest}", blob::get)
            .route("HEAD", "/v2/{name}/blobs/{digest}", blob::head)
            .route("DELETE", "/v2/{name}/blobs/{digest}", blob::delete)
            .route("POST", "/v2/{name}/blobs/uploads", upload::start)
            .route("GET", "/v2/{name}/blobs/uploads/{uuid}", upload::status)
            .route("PATCH", "/v2/{name}/blobs/uploads/{uuid}", upload::patch)
            .route("PUT", "/v2/{name}/blobs/uploads/{uuid}", upload::put)
            .route("DELETE", "/v2/{name}/blobs/uploads/{uuid}", upload::cancel)
            .route("GET", "/v2/{name}/manifests/{reference}", manifest::get)
            .route("HEAD", "/v2/{name}/manifests/{reference}", manifest::head)
            .route("PUT", "/v2/{name}/manifests/{reference}", manifest::put)
            .route("DELETE", "/v2/{name}/manifests/{reference}", manifest::delete)
            .route("GET", "/v2/{name}/tags/list", list::tags)
            .route("GET", "/v2/{name}/referrers/{digest}", list::referrers)
            .route("GET", "/acr/v1/_catalog", acr::catalog)
            .route("GET", "/acr/v1/{name}", acr::repository)
            .route("DELETE", "/acr/v1/{name}", acr::deleteRepository)
            .route("GET", "/acr/v1/{name}/_tags", acr::tags)
            .route("GET", "/acr/v1/{name}/_tags/{tag}", acr::tag)
            .route("DELETE", "/acr/v1/{name}/_tags/{tag}", acr::deleteTag)
            .route("GET", "/acr/v1/{name}/_manifests", acr::manifests)
            .route("GET", "/acr/v1/{name}/_manifests/{digest}", acr::manifest)
            .build();
  }

  /**
   * The garbage collector of the blobs these endpoints store; it knows which manifest pushes are
   * running, so it is safe to run while they serve.
   */
  public GarbageCollector garbageCollector() {
    return garbageCollector;
  }

  /**
   * Every route these endpoints serve: what a test sweeps to prove that none answers without the
   * credential and the scope it needs.
   */
  public RouteTable routes() {
    return routes;
  }

  /** Serves one request under {@code /v2/} or {@code /acr/v1/} of {@code registry}. */
  public void handle(HttpExchange exchange, Registry registry) {
    exchange.setHeader("Docker-Distribution-Api-Version", "registry/2.0");
    try {
      switch (routes.lookup(exchange.method(), exchange.segments())) {
        case RouteTable.Lookup.Found f ->
            f.handler().handle(new Call(exchange, registry, f.vars()));
        case RouteTable.Lookup.MethodNotAllowed m -> {
          exchange.setHeader("Allow", String.join(", ", m.allowed()));
          throw RegistryException.of(
              RegistryErrorCode.METHOD_UNKNOWN, "unsupported method", exchange.method());
        }
        case RouteTable.Lookup.NotFound n ->
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
