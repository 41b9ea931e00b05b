package dev.berth.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.files.PrivateFiles;
import dev.berth.http.Json;
import dev.berth.identity.Directory;
import dev.berth.identity.UserAccounts;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;

/**
 * First-start setup, idempotent: a tenant, a default subscription, an Owner service principal whose
 * credentials go to {@code bootstrap.json} (mode 0600), and a user {@code admin} with the same
 * roles whose password is returned once, for the console only. A second start finds them all and
 * changes nothing but the endpoints, should the port have changed.
 */
public final class Bootstrap {

  /** Azure's built-in Owner role. */
  static final String OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

  /**
   * Azure's built-in User Access Administrator role, which "elevated access" grants at {@code /}.
   */
  static final String USER_ACCESS_ADMINISTRATOR_ROLE = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";

  /** The user made at the first start. */
  static final String ADMIN_USER = "admin";

  /** What {@link #ensure} found or made, and the first admin's password when it made it. */
  public record Result(BootstrapInfo info, Optional<FirstAdmin> firstAdmin) {}

  /** The admin user made at this start and its password: print it once, store it nowhere. */
  public record FirstAdmin(String userName, String password) {
    @Override
    public String toString() {
      return "FirstAdmin[" + userName + "]"; // never the password, should it reach a log
    }
  }

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
   * Ensures the subscription, the Owner principal and its grants exist; writes bootstrap.json. At
   * the first start (no bootstrap.json yet) it also makes the user {@code admin} with the same
   * grants, before bootstrap.json is written.
   *
   * @param ingressHttpsPort the apps' HTTPS port, 0 when off (likewise {@code ingressHttpPort})
   */
  public Result ensure(
      ResourceStore store,
      Directory directory,
      UserAccounts users,
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
    grantOwner(store, info.objectId(), "ServicePrincipal", subscriptionId);
    Optional<FirstAdmin> admin = Optional.empty();
    if (earlier.isEmpty()) {
      // Only at the first start: an admin deleted on purpose stays deleted. Should an earlier
      // first start have died after making it, it exists, and its password is reset by the CLI.
      admin =
          users
              .create(ADMIN_USER, "Administrator", Optional.empty())
              .map(c -> new FirstAdmin(ADMIN_USER, c.password().orElseThrow()));
      users
          .findByUserName(ADMIN_USER)
          .ifPresent(u -> grantOwner(store, u.objectId(), "User", subscriptionId));
    }
    if (earlier.isEmpty() || !earlier.get().equals(info)) {
      PrivateFiles.writeString(
          dataDir.bootstrapFile(),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info) + "\n");
    }
    return new Result(info, admin);
  }

  /** Owner of the subscription and User Access Administrator at the root. */
  private static void grantOwner(
      ResourceStore store, String principalId, String principalType, String subscriptionId) {
    ResourceId subscription = ResourceId.subscription(subscriptionId);
    ensureAssignment(store, subscription, OWNER_ROLE, principalId, principalType, subscriptionId);
    ensureAssignment(
        store,
        ResourceId.root(),
        USER_ACCESS_ADMINISTRATOR_ROLE,
        principalId,
        principalType,
        subscriptionId);
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
      String principalType,
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
    props.put("principalType", principalType);
    props.put("scope", scope.value());
    props.put("description", "Created by Berth at first start");
    store.put(id, body, Precondition.ABSENT);
  }
}
