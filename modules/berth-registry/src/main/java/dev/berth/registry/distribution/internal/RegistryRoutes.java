package dev.berth.registry.distribution.internal;

import static dev.berth.registry.distribution.internal.RouteAccess.DELETE;
import static dev.berth.registry.distribution.internal.RouteAccess.METADATA_READ;
import static dev.berth.registry.distribution.internal.RouteAccess.PULL;
import static dev.berth.registry.distribution.internal.RouteAccess.PUSH;
import static dev.berth.registry.distribution.internal.RouteAccess.catalog;
import static dev.berth.registry.distribution.internal.RouteAccess.noScope;
import static dev.berth.registry.distribution.internal.RouteAccess.repository;
import static dev.berth.registry.distribution.internal.RouteAccess.upload;

import dev.berth.http.Route;
import dev.berth.http.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The one route table of the registry API: every path of the OCI distribution API ({@code /v2/…})
 * and ACR's metadata API ({@code /acr/v1/…}), the access each needs and its handler. Read this file
 * to know the API's surface. Paths are matched over {@link RoutePaths#canonical canonical} segments
 * (a repository name is one segment). Stateless.
 */
public final class RegistryRoutes {

  private RegistryRoutes() {}

  public static Router<RegistryRoute> table(DistributionServices services) {
    BlobHandler blob = new BlobHandler(services);
    UploadHandler upload = new UploadHandler(services);
    ManifestHandler manifest = new ManifestHandler(services);
    ListingHandler list = new ListingHandler(services);
    AcrHandler acr = new AcrHandler(services, list);
    String blobs = "/v2/{name}/blobs/{digest}";
    String uploads = "/v2/{name}/blobs/uploads/{uuid}";
    String manifests = "/v2/{name}/manifests/{reference}";
    String tags = "/acr/v1/{name}/_tags/{tag}";
    return new Rows()
        .add("GET", "/v2", noScope(), list::version)
        .add("GET", "/v2/_catalog", catalog(), list::catalog)
        .add("GET", blobs, repository(PULL), blob::get)
        .add("HEAD", blobs, repository(PULL), blob::head)
        .add("DELETE", blobs, repository(DELETE), blob::delete)
        .add("POST", "/v2/{name}/blobs/uploads", upload(), upload::start)
        .add("GET", uploads, repository(PULL, PUSH), upload::status)
        .add("PATCH", uploads, repository(PULL, PUSH), upload::patch)
        .add("PUT", uploads, repository(PULL, PUSH), upload::put)
        .add("DELETE", uploads, repository(PULL, PUSH), upload::cancel)
        .add("GET", manifests, repository(PULL), manifest::get)
        .add("HEAD", manifests, repository(PULL), manifest::head)
        .add("PUT", manifests, repository(PULL, PUSH), manifest::put)
        .add("DELETE", manifests, repository(DELETE), manifest::delete)
        .add("GET", "/v2/{name}/tags/list", repository(PULL), list::tags)
        .add("GET", "/v2/{name}/referrers/{digest}", repository(PULL), list::referrers)
        .add("GET", "/acr/v1/_catalog", catalog(), acr::catalog)
        .add("GET", "/acr/v1/{name}", repository(METADATA_READ), acr::repository)
        .add("DELETE", "/acr/v1/{name}", repository(DELETE), acr::deleteRepository)
        .add("GET", "/acr/v1/{name}/_tags", repository(METADATA_READ), acr::tags)
        .add("GET", tags, repository(METADATA_READ), acr::tag)
        .add("DELETE", tags, repository(DELETE), acr::deleteTag)
        .add("GET", "/acr/v1/{name}/_manifests", repository(METADATA_READ), acr::manifests)
        .add("GET", "/acr/v1/{name}/_manifests/{digest}", repository(METADATA_READ), acr::manifest)
        .router();
  }

  /** Collects rows. Not thread-safe. */
  private static final class Rows {
    private final List<Route<RegistryRoute>> routes = new ArrayList<>();

    Rows add(String method, String template, RouteAccess access, CallHandler handler) {
      routes.add(Route.of(method, template, new RegistryRoute(access, handler)));
      return this;
    }

    Router<RegistryRoute> router() {
      return new Router<>(routes);
    }
  }
}
