package dev.berth.controlplane;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.controlplane.internal.ApiVersionCheck;
import dev.berth.controlplane.internal.ArmCall;
import dev.berth.controlplane.internal.ArmRoutes;
import dev.berth.controlplane.internal.Authentication;
import dev.berth.controlplane.internal.Authorization;
import dev.berth.controlplane.internal.BodyReader;
import dev.berth.controlplane.internal.ErrorWriter;
import dev.berth.controlplane.internal.GenericResourceHandler;
import dev.berth.controlplane.internal.MetadataHandler;
import dev.berth.controlplane.internal.MetricsHandler;
import dev.berth.controlplane.internal.OperationHandler;
import dev.berth.controlplane.internal.OperationRecovery;
import dev.berth.controlplane.internal.OperationRetention;
import dev.berth.controlplane.internal.Operations;
import dev.berth.controlplane.internal.PermissionsHandler;
import dev.berth.controlplane.internal.ProviderHandler;
import dev.berth.controlplane.internal.RequestIds;
import dev.berth.controlplane.internal.ResourceGroupHandler;
import dev.berth.controlplane.internal.ResourceTypes;
import dev.berth.controlplane.internal.RoleAssignmentHandler;
import dev.berth.controlplane.internal.RoleDefinitionHandler;
import dev.berth.controlplane.internal.RouteMatching;
import dev.berth.controlplane.internal.RouteTable;
import dev.berth.controlplane.internal.ServicePrincipalHandler;
import dev.berth.controlplane.internal.Step;
import dev.berth.controlplane.internal.SubscriptionHandler;
import dev.berth.controlplane.internal.UserHandler;
import dev.berth.controlplane.internal.Writes;
import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.identity.Authorizer;
import dev.berth.identity.Directory;
import dev.berth.identity.RbacAuthorizer;
import dev.berth.identity.RoleCatalog;
import dev.berth.identity.TokenVerifier;
import dev.berth.identity.UserAccounts;
import dev.berth.store.PreconditionFailedException;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoreUnavailableException;
import dev.berth.store.StoredResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ARM-compatible REST API: serves every management request (Microsoft.Resources,
 * Microsoft.Authorization, Berth's service principals and users and every registered {@link
 * ResourceType}) through one chain — request ids → route → api-version → authentication → RBAC →
 * body → handler — and answers every failure in ARM's error envelope. Thread-safe; {@link #handle}
 * blocks, so call it on a virtual thread.
 */
public final class ArmApi {

  private static final Logger LOG = LoggerFactory.getLogger(ArmApi.class);

  private final List<Step> chain;
  private final OperationRecovery recovery;
  private final OperationRetention retention;
  private final RouteTable routes;

  /**
   * @param executor runs the work of long-running operations (use virtual threads)
   * @param resourceTypes the provider resource types served by the generic handler, and the routes
   *     of their own they declare
   */
  public ArmApi(
      ArmConfig config,
      ResourceStore store,
      TokenVerifier verifier,
      Authorizer authorizer,
      RoleCatalog roles,
      Directory directory,
      Executor executor,
      List<ResourceType> resourceTypes) {
    this(
        config,
        store,
        verifier,
        authorizer,
        roles,
        directory,
        executor,
        resourceTypes,
        Optional.empty());
  }

  /**
   * As above, also serving {@code GET /metrics} from {@code metrics} (docs/metrics.md) when
   * present.
   */
  public ArmApi(
      ArmConfig config,
      ResourceStore store,
      TokenVerifier verifier,
      Authorizer authorizer,
      RoleCatalog roles,
      Directory directory,
      Executor executor,
      List<ResourceType> resourceTypes,
      Optional<MetricsSource> metrics) {
    ResourceTypes types = new ResourceTypes(resourceTypes);
    Operations operations = new Operations(store, executor, config.clock(), config.location());
    Writes writes = new Writes(store, config.clock());
    ResourceGroupHandler groups = new ResourceGroupHandler(store, writes, operations, types);
    this.recovery = new OperationRecovery(store, types, operations, writes, groups, executor);
    this.retention = new OperationRetention(store, types);
    var handlers =
        new ArmRoutes.Handlers(
            new MetadataHandler(config),
            new SubscriptionHandler(store, authorizer, types, config),
            groups,
            new ProviderHandler(store, types, config.location()),
            new OperationHandler(store, authorizer, types),
            new GenericResourceHandler(store, types, operations, writes, authorizer),
            new RoleDefinitionHandler(roles),
            new RoleAssignmentHandler(store, roles, directory, config.clock(), writes),
            new ServicePrincipalHandler(directory),
            // Users live in the same store; a handler of its own keeps Directory's SPs apart.
            new UserHandler(
                new UserAccounts(store, directory.tenantId(), config.clock()),
                directory.tenantId()),
            new PermissionsHandler(new RbacAuthorizer(store, roles)),
            metrics.map(MetricsHandler::new));
    this.routes = ArmRoutes.table(handlers, resourceTypes);
    // The chain, in order. Each step may stop the request with an ArmException.
    this.chain =
        List.of(
            new RequestIds(config.clock()),
            new RouteMatching(routes),
            new ApiVersionCheck(config.location()),
            new Authentication(verifier, config.audiences(), config.authority(), config.tenantId()),
            new Authorization(authorizer),
            new BodyReader(config.bodyLimit()));
  }

  /**
   * Resumes or ends what a Berth that died left in flight: operations still {@code InProgress} and
   * resources left {@code InProgress} or {@code Deleting} (docs/controlplane.md, "After a crash").
   * Call once, at start; the work runs on the executor.
   */
  public RecoveryReport recoverInterruptedOperations() {
    OperationRecovery.Summary s = recovery.run();
    return new RecoveryReport(s.operations(), s.resources(), s.finished());
  }

  /**
   * Deletes the status documents of operations that ended before {@code now - retention}.
   *
   * @return how many were deleted
   */
  public int pruneOperations(Instant now, Duration retention) {
    return this.retention.prune(now, retention);
  }

  /**
   * Every route this API serves, with the permission each declares: what a test sweeps to prove
   * that no route answers without authentication and authorization.
   */
  public RouteTable routes() {
    return routes;
  }

  /** Serves one ARM request; never throws, never answers with a stack trace. */
  public void handle(HttpExchange exchange) {
    ArmCall call = new ArmCall(exchange);
    try {
      for (Step step : chain) {
        step.apply(call);
      }
      call.route().handler().handle(call);
      if (!exchange.isSent()) {
        throw new IllegalStateException("route " + call.route().name() + " sent no reply");
      }
    } catch (ArmException e) {
      reply(call, e);
    } catch (PreconditionFailedException e) {
      reply(call, ArmErrors.preconditionFailed(e.current().map(StoredResource::etag).orElse(null)));
    } catch (MalformedRequestException e) {
      // The client's bytes, not Berth: one line at DEBUG, no trace (a flood must not fill logs).
      LOG.debug(
          "request {} {} {} malformed: {}",
          call.requestId(),
          exchange.method(),
          exchange.rawPath(),
          e.getMessage());
      reply(call, malformed(e));
    } catch (StoreUnavailableException e) {
      // The database is down or restarting: the client may try again; one line, no trace.
      LOG.warn("request {} found the store unavailable: {}", call.requestId(), e.getMessage());
      reply(
          call,
          ArmException.of(
                  ArmErrorCode.ServiceUnavailable,
                  StoreUnavailableException.ADVICE + " Request id: '" + call.requestId() + "'.")
              .withHeader("Retry-After", StoreUnavailableException.RETRY_AFTER_SECONDS));
    } catch (Exception | LinkageError | AssertionError e) {
      LOG.error(
          "request {} {} {} failed", call.requestId(), exchange.method(), exchange.rawPath(), e);
      reply(
          call,
          ArmException.of(
              ArmErrorCode.InternalServerError,
              "The server encountered an internal error. Request id: '" + call.requestId() + "'."));
    }
  }

  /** A request that breaks URL or HTTP encoding, in ARM's words. */
  static ArmException malformed(MalformedRequestException e) {
    return e.part() == MalformedRequestException.Part.BODY
        ? ArmErrors.invalidRequestContent(e.getMessage() + ".")
        : ArmException.of(
            ArmErrorCode.InvalidRequestFormat,
            "The request URI is not valid: " + e.getMessage() + ".");
  }

  /** Writes the error; if even that fails (the client went away), there is no one to tell. */
  private static void reply(ArmCall call, ArmException e) {
    try {
      ErrorWriter.send(call, e);
    } catch (RuntimeException failed) {
      LOG.debug("cannot send the error reply of request {}", call.requestId(), failed);
    }
  }
}
