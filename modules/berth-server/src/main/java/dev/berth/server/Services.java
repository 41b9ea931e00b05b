package dev.berth.server;

import dev.berth.controlplane.ArmApi;
import dev.berth.controlplane.ArmConfig;
import dev.berth.http.HttpExchange;
import dev.berth.http.Router;
import dev.berth.identity.BuiltInRoles;
import dev.berth.identity.IdentityConfig;
import dev.berth.identity.JwtTokenVerifier;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.SigningKeys;
import dev.berth.identity.StoreDirectory;
import dev.berth.identity.TokenEndpoints;
import dev.berth.identity.TokenIssuer;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The wiring: builds the store, the identity services and the ARM API from the configuration, in
 * dependency order, and closes them in reverse. The one place that constructs every subsystem.
 */
final class Services implements AutoCloseable {

  private final ResourceStore store;
  private final ExecutorService background;
  private final Router tokenRoutes;
  private final ArmApi arm;
  private final BootstrapInfo bootstrap;

  private Services(
      ResourceStore store,
      ExecutorService background,
      Router tokenRoutes,
      ArmApi arm,
      BootstrapInfo bootstrap) {
    this.store = store;
    this.background = background;
    this.tokenRoutes = tokenRoutes;
    this.arm = arm;
    this.bootstrap = bootstrap;
  }

  /**
   * @param base the scheme, host and port clients reach Berth on, e.g. {@code
   *     https://127.0.0.1:8443}
   */
  static Services create(ServerConfig config, URI base, ResourceStore store, SigningKeys keys)
      throws IOException {
    DataDir dir = config.dataDir();
    ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    try {
      Bootstrap bootstrap = new Bootstrap(dir);
      String tenantId = bootstrap.tenantId(store);
      String authority = base.toString();
      String managementEndpoint = authority + "/";

      IdentityConfig identity = IdentityConfig.of(tenantId, base, dir.signingKeys());
      StoreDirectory directory = new StoreDirectory(store, tenantId, Clock.systemUTC());
      TokenIssuer issuer = new TokenIssuer(identity, keys);
      JwtTokenVerifier verifier = JwtTokenVerifier.forDirectory(identity, keys, directory);
      BuiltInRoles roles = BuiltInRoles.catalog();
      RbacAuthorizer rbac = new RbacAuthorizer(store, roles);

      ArmApi arm =
          new ArmApi(
              ArmConfig.of(tenantId, managementEndpoint, authority, identity.managementAudiences()),
              store,
              verifier,
              rbac,
              roles,
              directory,
              background,
              List.of());
      Router tokenRoutes =
          new Router(new TokenEndpoints(identity, directory, issuer, keys).routes());
      BootstrapInfo info = bootstrap.ensure(store, directory, managementEndpoint, authority);
      return new Services(store, background, tokenRoutes, arm, info);
    } catch (IOException | RuntimeException e) {
      background.shutdownNow();
      store.close();
      throw e;
    }
  }

  Router tokenRoutes() {
    return tokenRoutes;
  }

  void handleArm(HttpExchange exchange) {
    arm.handle(exchange);
  }

  BootstrapInfo bootstrap() {
    return bootstrap;
  }

  @Override
  public void close() throws IOException {
    background.shutdownNow();
    store.close();
  }
}
