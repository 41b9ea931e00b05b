package dev.berth.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.files.PrivateFiles;
import dev.berth.http.Json;
import dev.berth.identity.Directory;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;

/**
 * First-start setup, idempotent: a tenant, a default subscription, and an Owner service principal
 * whose credentials go to {@code bootstrap.json} (mode 0600). A second start finds them all and
 * changes nothing but the endpoints, should the port have changed.
 */
public final class Bootstrap {

  /** Azure's built-in Owner role. */
  static final String OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

  /**
   * Azure's built-in User Access Administrator role, which "elevated access" grants at {@code /}.
   */
  static final String USER_ACCESS_ADMINISTRATOR_ROLE = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";

  private final DataDir dataDir;

  public Bootstrap(DataDir dataDir) {
    this.dataDir = dataDir;
  }

  /** The bootstrap of an earlier start, if there was one. */
  public Optional<BootstrapInfo> existing() throws IOException {
    if (!Files.exists(dataDir.bootstrapFile())) {
      return Optional.empty();
    }
    return Optional.of(
        Json.MAPPER.readValue(
            Files.readString(dataDir.bootstrapFile(), StandardCharsets.UTF_8),
            BootstrapInfo.class));
  }

  /**
   * The tenant id: the one of an earlier start, or of a subscription already in the store, or a new
   * one.
   */
  public String tenantId(ResourceStore store) throws IOException {
    Optional<BootstrapInfo> earlier = existing();
    if (earlier.isPresent()) {
      return earlier.get().tenantId();
    }
    return store
        .list(Query.children(ResourceId.root(), ResourceId.SUBSCRIPTION_TYPE))
        .items()
        .stream()
        .map(s -> s.body().path("tenantId").asText(""))
        .filter(t -> !t.isEmpty())
        .findFirst()
        .orElseGet(() -> UUID.randomUUID().toString());
  }

  /**
   * Ensures the subscription, the Owner principal and its grants exist; writes bootstrap.json.
   *
   * @param ingressHttpsPort the apps' HTTPS port, 0 when off (likewise {@code ingressHttpPort})
   */
  public BootstrapInfo ensure(
      ResourceStore store,
      Directory directory,
      String managementEndpoint,
      String authority,
      int ingressHttpsPort,
      int ingressHttpPort)
      throws IOException {
    Optional<BootstrapInfo> earlier = existing();
    String subscriptionId =
        earlier.map(BootstrapInfo::subscriptionId).orElseGet(() -> UUID.randomUUID().toString());
    ensureSubscription(store, subscriptionId, directory.tenantId());

    BootstrapInfo info;
    if (earlier.isPresent() && directory.findByAppId(earlier.get().clientId()).isPresent()) {
      info =
          earlier
              .get()
              .withEndpoints(
                  managementEndpoint,
                  authority,
                  dataDir.caCertificate().toString(),
                  ingressHttpsPort,
                  ingressHttpPort);
    } else {
      var created = directory.createServicePrincipal("berth-owner");
      info =
          new BootstrapInfo(
              directory.tenantId(),
              subscriptionId,
              created.principal().appId(),
              created.clientSecret(),
              created.principal().objectId(),
              managementEndpoint,
              authority,
              dataDir.caCertificate().toString(),
              ingressHttpsPort,
              ingressHttpPort);
    }
    ResourceId subscription = ResourceId.subscription(subscriptionId);
    ensureAssignment(store, subscription, OWNER_ROLE, info.objectId(), subscriptionId);
    ensureAssignment(
        store, ResourceId.root(), USER_ACCESS_ADMINISTRATOR_ROLE, info.objectId(), subscriptionId);
    if (earlier.isEmpty() || !earlier.get().equals(info)) {
      PrivateFiles.writeString(
          dataDir.bootstrapFile(),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info) + "\n");
    }
    return info;
  }

  private static void ensureSubscription(
      ResourceStore store, String subscriptionId, String tenantId) {
    ResourceId id = ResourceId.subscription(subscriptionId);
    if (store.get(id).isPresent()) {
      return;
    }
    ObjectNode body = Json.object();
    body.put("id", id.value());
    body.put("subscriptionId", subscriptionId);
    body.put("displayName", "Berth Local");
    body.put("state", "Enabled");
    body.put("tenantId", tenantId);
    store.put(id, body, Precondition.ABSENT);
  }

  /**
   * Writes a role assignment document in the control plane's shape. Its name is derived from scope,
   * role and principal, so running this twice writes one assignment.
   */
  private static void ensureAssignment(
      ResourceStore store,
      ResourceId scope,
      String roleGuid,
      String principalId,
      String subscriptionId) {
    String name =
        UUID.nameUUIDFromBytes(
                (scope.key() + "|" + roleGuid + "|" + principalId).getBytes(StandardCharsets.UTF_8))
            .toString();
    ResourceId id = scope.provider("Microsoft.Authorization", "roleAssignments", name);
    if (store.get(id).isPresent()) {
      return;
    }
    ObjectNode body = Json.object();
    body.put("id", id.value());
    body.put("name", name);
    body.put("type", "Microsoft.Authorization/roleAssignments");
    ObjectNode props = body.putObject("properties");
    props.put(
        "roleDefinitionId",
        "/subscriptions/"
            + subscriptionId
            + "/providers/Microsoft.Authorization/roleDefinitions/"
            + roleGuid);
    props.put("principalId", principalId);
    props.put("principalType", "ServicePrincipal");
    props.put("scope", scope.value());
    props.put("description", "Created by Berth at first start");
    store.put(id, body, Precondition.ABSENT);
  }
}
