package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.NetworkRules;
import dev.berth.api.acr.Registry;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.LinkedResource;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.controlplane.providers.containerregistry.ImageImports;
import dev.berth.controlplane.providers.containerregistry.LoginServers;
import dev.berth.controlplane.providers.containerregistry.RegistryContent;
import dev.berth.http.Json;
import dev.berth.store.ResourceStore;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Registries ({@code Microsoft.ContainerRegistry/registries}): defaults and checks, a globally
 * unique name, the login server, storage key, admin credentials and system scope maps made once at
 * creation, the content removed and the login server given back on delete, and the registry's POST
 * actions. Thread-safe.
 */
public final class RegistryHooks implements ResourceHooks {

  /** What pulling from a registry takes: AcrPull's action, held by Reader and above too. */
  static final String PULL_ACTION = "Microsoft.ContainerRegistry/registries/pull/read";

  private final LoginServers loginServers;
  private final RegistryContent content;
  private final ImageImports imports;
  private final Clock clock;
  private final AdminCredentials admin;
  private final ScopeMapHooks scopeMaps;
  private final TokenPasswords tokenPasswords;
  private final ResourceStore store;

  public RegistryHooks(
      ResourceStore store,
      LoginServers loginServers,
      RegistryContent content,
      ImageImports imports,
      Clock clock,
      ScopeMapHooks scopeMaps,
      SecretSealer sealer) {
    this.loginServers = loginServers;
    this.content = content;
    this.imports = imports;
    this.clock = clock;
    this.admin = new AdminCredentials(store, sealer);
    this.scopeMaps = scopeMaps;
    this.tokenPasswords = new TokenPasswords(store, clock);
    this.store = store;
  }

  @Override
  public ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    RegistryProperties.complete(desired);
    refuseVirtualNetworkRules(desired);
    if (current.isEmpty()) {
      // Inside the create's store transaction: the name check and the documents written here
      // commit or roll back with the registry itself.
      RegistryNames.requireFree(tx, id);
      ObjectNode p = (ObjectNode) desired.get("properties");
      p.put("loginServer", loginServers.assign(id));
      p.put("creationDate", clock.instant().toString());
      // Names are unique only while a registry lives: this instance's repositories are kept
      // under a key of its own, so a registry created later under this name never sees them.
      desired
          .putObject(AcrDocuments.HIDDEN)
          .put(AcrDocuments.STORAGE_KEY, AcrDocuments.newStorageKey(id.name()));
      admin.create(tx, id);
      scopeMaps.createSystem(tx, id);
    }
    return desired;
  }

  /**
   * Virtual network rules name subnets, which Berth does not have: refused rather than stored and
   * ignored (a rule that seems to let a subnet in would let nobody in, silently).
   */
  private static void refuseVirtualNetworkRules(ObjectNode desired) {
    JsonNode rules = desired.path("properties").path("networkRuleSet").path("virtualNetworkRules");
    boolean none = rules.isMissingNode() || rules.isNull() || (rules.isArray() && rules.isEmpty());
    if (!none) {
      throw Checks.invalid(
          "properties.networkRuleSet.virtualNetworkRules",
          "Virtual network rules are not supported by Berth, which has no virtual networks; use"
              + " ipRules with the addresses of the clients instead.");
    }
  }

  @Override
  public void onDelete(ResourceId id, ObjectNode stored) throws IOException {
    // The content first: if it cannot go, the registry stays whole (and its delete Failed).
    content.delete(id, Registry.from(id, stored).storageKey());
    JsonNode server = stored.path("properties").path("loginServer");
    if (server.isTextual()) {
      loginServers.release(id, server.asText());
    }
  }

  @Override
  public Optional<JsonNode> action(
      String action, ResourceId id, ObjectNode stored, ObjectNode body) {
    return Optional.ofNullable(
        switch (action.toLowerCase(Locale.ROOT)) {
          case "listcredentials" -> admin.list(id, stored);
          case "regeneratecredential" -> admin.regenerate(id, stored, body);
          case "generatecredentials" -> tokenPasswords.generate(id, body);
          case "listusages" -> usages();
          default -> null;
        });
  }

  /** {@code importImage}: the body is checked now, the copy runs as the operation's work. */
  @Override
  public Optional<ActionWork> longRunningAction(
      String action, ResourceId id, ObjectNode stored, ObjectNode body, Principal caller) {
    if (!action.equalsIgnoreCase("importImage")) {
      return Optional.empty();
    }
    ImageImports.Request request = ImportImageParameters.parse(body, this::importSource);
    if (request.berthSource().isPresent()) {
      requirePull(caller, request.berthSource().get(), request.repository());
    }
    Registry target = Registry.from(id, stored);
    return Optional.of(() -> imports.copy(target, request));
  }

  /**
   * An import from {@code source.resourceId} reads that registry, so its caller must be allowed to
   * pull from it — what ACR's Container Registry Data Importer and Data Reader role grants on both
   * registries ({@code importImage/action} on the target, {@code pull/read} on the source). A
   * source in ABAC mode takes no such action (its pulls are data actions, per repository): {@link
   * #requirePull} asks its data plane instead.
   */
  @Override
  public List<LinkedResource> actionLinks(String action, ResourceId id, JsonNode body) {
    if (!action.equalsIgnoreCase("importImage")) {
      return List.of();
    }
    JsonNode sourceId = body.path("source").path("resourceId");
    boolean abac =
        ResourceId.tryParse(sourceId.asText(""))
            .flatMap(store::get)
            .map(doc -> Registry.from(doc.id(), doc.body()).abacMode())
            .orElse(false);
    return abac ? List.of() : LinkedResource.ofText("source.resourceId", sourceId, PULL_ACTION);
  }

  /**
   * Refuses an import whose caller could not pull {@code repository} from Berth's registry {@code
   * source} itself: the data plane decides (roles, ABAC conditions), as for a pull.
   */
  private void requirePull(Principal caller, Registry source, String repository) {
    AccessDecision decision = imports.pullDecision(caller, source, repository);
    if (decision.isGranted()) {
      return;
    }
    String why = decision.answer().map(AccessDecision.Refusal::message).orElse("");
    throw ArmException.of(
            ArmErrorCode.LinkedAuthorizationFailed,
            "The client '"
                + caller.objectId()
                + "' may not pull '"
                + repository
                + "' from registry '"
                + source.name()
                + "', which importing it takes: "
                + why)
        .withTarget("source.resourceId");
  }

  /**
   * The Berth registry an import reads from, refused as ACR refuses it: it must exist, allow
   * exports ({@code policies.exportPolicy}), and, when its network rules keep clients out, let
   * trusted services through ({@code networkRuleBypassOptions: AzureServices}), as an import is
   * one.
   */
  private Registry importSource(ResourceId sourceId) {
    ObjectNode doc =
        store
            .get(sourceId)
            .map(r -> r.body())
            .orElseThrow(
                () -> ArmErrors.resourceNotFound(sourceId).withTarget("source.resourceId"));
    Registry source = Registry.from(sourceId, doc);
    JsonNode p = doc.path("properties");
    if ("disabled"
        .equalsIgnoreCase(p.path("policies").path("exportPolicy").path("status").asText(""))) {
      throw Checks.invalid(
          "source.resourceId",
          "The source registry '"
              + source.name()
              + "' does not allow exports (policies.exportPolicy.status is disabled). Allow"
              + " them with: az acr update -n "
              + source.name()
              + " --allow-exports true");
    }
    NetworkRules network = source.network();
    boolean restricted = !network.publicNetworkAccess() || network.denyByDefault();
    if (restricted
        && "None".equalsIgnoreCase(p.path("networkRuleBypassOptions").asText("AzureServices"))) {
      throw Checks.invalid(
          "source.resourceId",
          "The source registry '"
              + source.name()
              + "' restricts network access and does not let trusted services through"
              + " (networkRuleBypassOptions is None), which an import needs. Let them through"
              + " with: az acr update -n "
              + source.name()
              + " --allow-trusted-services true");
    }
    return source;
  }

  /** Berth sets no quotas; ACR's list shape with nothing in it. */
  private static JsonNode usages() {
    ObjectNode out = Json.object();
    out.putArray("value");
    return out;
  }
}
