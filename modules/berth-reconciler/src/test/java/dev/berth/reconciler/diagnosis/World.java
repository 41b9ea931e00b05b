package dev.berth.reconciler.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.AccessDecision.Reason;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.PasswordHashes;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A store holding the documents of the acceptance story (a registry {@code myacr} at {@code
 * localhost:5001}, an identity {@code pull-id}, an environment with outbound address 127.0.0.12),
 * in the shapes the control plane writes, plus fakes of the two ports. Tests change what they need.
 */
final class World {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SUB = "0b5f3c2e-0000-4000-8000-000000000001";
  static final ResourceId RG = ResourceId.resourceGroup(SUB, "rg1");
  static final String SERVER = "localhost:5001";
  static final ResourceId REGISTRY =
      RG.provider("Microsoft.ContainerRegistry", "registries", "myacr");
  static final ResourceId PULL_ID =
      RG.provider("Microsoft.ManagedIdentity", "userAssignedIdentities", "pull-id");
  static final String PULL_ID_PRINCIPAL = "25cc773c-7f05-40fc-a104-32d2300754ad";
  static final String SYSTEM_PRINCIPAL = "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
  static final ResourceId ENV = RG.provider("Microsoft.App", "managedEnvironments", "env1");
  static final ResourceId APP = RG.provider("Microsoft.App", "containerApps", "web");
  static final String TENANT = "b6c948ef-f6b5-4384-8354-da3a15eca969";
  static final Instant NOW = Instant.parse("2026-11-26T20:00:00Z");

  final InMemoryResourceStore store = new InMemoryResourceStore();
  final SecretSealer sealer = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());

  /** Principals the registry lets pull, by the role it names. */
  final Set<String> pullers = new HashSet<>();

  /** Why the registry refuses a principal's pull, when not for want of a role. */
  final Map<String, AccessDecision> refusals = new HashMap<>();

  final Map<String, List<String>> tags = new HashMap<>(Map.of("api", List.of("1.0", "latest")));
  final PullDiagnosis diagnosis =
      new PullDiagnosis(
          store,
          (principal, registry, repository) ->
              registry.equals(REGISTRY) && pullers.contains(principal.objectId())
                  ? AccessDecision.granted("AcrPull")
                  : refusals.getOrDefault(
                      principal.objectId(),
                      AccessDecision.refused(Reason.NO_ROLE, "pull/read", "no role grants pull")),
          (registry, repository) ->
              registry.equals(REGISTRY)
                  ? Optional.ofNullable(tags.get(repository))
                  : Optional.empty(),
          sealer,
          Clock.fixed(NOW, ZoneOffset.UTC));

  World() {
    registry(p -> {});
    // The system scope map every registry gets at creation, which tokens here use.
    put(
        REGISTRY.child("scopeMaps", "_repositories_pull"),
        """
        {"name":"_repositories_pull","type":"Microsoft.ContainerRegistry/registries/scopeMaps",
         "properties":{"type":"SystemDefined","actions":["repositories/*/content/read"]}}
        """);
    put(
        PULL_ID,
        """
        {"name":"pull-id","type":"Microsoft.ManagedIdentity/userAssignedIdentities","location":"local",
         "properties":{"tenantId":"%s","principalId":"%s","clientId":"4024ab25-56a8-4370-aea6-6389221caf29"}}
        """
            .formatted(TENANT, PULL_ID_PRINCIPAL));
    put(
        ENV,
        """
        {"name":"env1","type":"Microsoft.App/managedEnvironments","location":"local",
         "properties":{"provisioningState":"Succeeded","defaultDomain":"env1.abcd1234.local.berth",
                       "staticIp":"127.0.0.12","outboundAddress":"127.0.0.12"}}
        """);
    put(
        AcrDocuments.adminCredentials(REGISTRY),
        """
        {"username":"myacr","passwords":[{"name":"password","value":"%s"},
                                         {"name":"password2","value":"%s"}]}
        """
            .formatted(
                sealer.seal("admin-pass-1", SecretSlot.adminPassword(REGISTRY, "password")),
                sealer.seal("admin-pass-2", SecretSlot.adminPassword(REGISTRY, "password2"))));
  }

  /** The registry document as the control plane stores it, defaults filled, then {@code edit}. */
  World registry(Consumer<ObjectNode> edit) {
    ObjectNode body =
        parse(
            """
            {"name":"myacr","type":"Microsoft.ContainerRegistry/registries","location":"local",
             "sku":{"name":"Premium","tier":"Premium"},
             "properties":{"loginServer":"%s","adminUserEnabled":false,"anonymousPullEnabled":false,
               "dataEndpointEnabled":false,"publicNetworkAccess":"Enabled",
               "networkRuleBypassOptions":"AzureServices","zoneRedundancy":"Disabled",
               "roleAssignmentMode":"LegacyRegistryPermissions",
               "networkRuleSet":{"defaultAction":"Allow","ipRules":[]},
               "policies":{"quarantinePolicy":{"status":"disabled"},
                 "trustPolicy":{"type":"Notary","status":"disabled"},
                 "retentionPolicy":{"days":7,"status":"disabled"},"exportPolicy":{"status":"enabled"},
                 "azureADAuthenticationAsArmPolicy":{"status":"enabled"},
                 "softDeletePolicy":{"retentionDays":7,"status":"disabled"}},
               "provisioningState":"Succeeded"}}
            """
                .formatted(SERVER));
    edit.accept((ObjectNode) body.get("properties"));
    store.put(REGISTRY, body, Precondition.NONE);
    return this;
  }

  /** Grants {@code role} on the registry to {@code principalId}, optionally with a condition. */
  World grant(String principalId, String roleGuid, String condition) {
    ObjectNode props = JSON.createObjectNode();
    props.put(
        "roleDefinitionId",
        "/subscriptions/" + SUB + "/providers/Microsoft.Authorization/roleDefinitions/" + roleGuid);
    props.put("principalId", principalId);
    props.put("principalType", "ServicePrincipal");
    props.put("scope", REGISTRY.value());
    if (condition != null) {
      props.put("condition", condition);
      props.put("conditionVersion", "2.0");
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("properties", props);
    store.put(
        REGISTRY.provider(
            "Microsoft.Authorization", "roleAssignments", UUID.randomUUID().toString()),
        body,
        Precondition.NONE);
    return this;
  }

  /** A repository-scoped token of the registry with one password, pulling every repository. */
  World token(String name, String status, String password) {
    return token(name, status, password, "_repositories_pull");
  }

  /** A repository-scoped token of the registry with one password and scope map {@code map}. */
  World token(String name, String status, String password, String map) {
    ResourceId token = REGISTRY.child("tokens", name);
    put(
        token,
        """
        {"name":"%s","type":"Microsoft.ContainerRegistry/registries/tokens",
         "properties":{"scopeMapId":"%s/scopeMaps/%s","status":"%s"}}
        """
            .formatted(name, REGISTRY.value(), map, status));
    store.put(AcrDocuments.tokenPasswords(token), passwords(password), Precondition.NONE);
    return this;
  }

  /** The stored form of one token password, as the control plane writes it. */
  private static ObjectNode passwords(String password) {
    ObjectNode doc = JSON.createObjectNode();
    doc.putArray("passwords").add(PasswordHashes.entry("password1", password, Optional.empty()));
    return doc;
  }

  void put(ResourceId id, String json) {
    store.put(id, parse(json), Precondition.NONE);
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static Principal principal(String objectId) {
    return new Principal(objectId, TENANT, "", Principal.PrincipalType.ServicePrincipal, "");
  }

  AppBuilder app() {
    return new AppBuilder();
  }

  /** Builds the container app document and the failed pull of its container {@code api}. */
  final class AppBuilder {
    private final ObjectNode body =
        parse(
            """
            {"name":"web","type":"Microsoft.App/containerApps","location":"local",
             "identity":{"type":"None"},
             "properties":{"environmentId":"%s","managedEnvironmentId":"%s",
               "configuration":{"activeRevisionsMode":"Single","secrets":[],"registries":[]},
               "template":{"containers":[{"name":"api","image":"%s/api:latest"}]}}}
            """
                .formatted(ENV.value(), ENV.value(), SERVER));
    private String image = SERVER + "/api:latest";

    AppBuilder withSystemIdentity() {
      ObjectNode identity = (ObjectNode) body.get("identity");
      identity.put("type", type(true, identity.has("userAssignedIdentities")));
      identity.put("principalId", SYSTEM_PRINCIPAL);
      identity.put("tenantId", TENANT);
      return this;
    }

    AppBuilder withUserIdentity(ResourceId id, String principalId) {
      ObjectNode identity = (ObjectNode) body.get("identity");
      identity.put("type", type(identity.has("principalId"), true));
      ObjectNode value = identity.withObject("userAssignedIdentities").putObject(id.value());
      value.put("principalId", principalId);
      value.put("clientId", UUID.randomUUID().toString());
      return this;
    }

    AppBuilder withRegistry(String identity) {
      registries().addObject().put("server", SERVER).put("identity", identity);
      return this;
    }

    AppBuilder withRegistryFor(String server, String identity) {
      registries().addObject().put("server", server).put("identity", identity);
      return this;
    }

    AppBuilder withPasswordRegistry(String username, String secretRef) {
      return withPasswordRegistryFor(SERVER, username, secretRef);
    }

    AppBuilder withPasswordRegistryFor(String server, String username, String secretRef) {
      ObjectNode entry = registries().addObject().put("server", server).put("username", username);
      if (secretRef != null) {
        entry.put("passwordSecretRef", secretRef);
      }
      return this;
    }

    /** A secret as the control plane stores it: sealed for this app. */
    AppBuilder withSecret(String name, String value) {
      return withStoredSecret(name, sealer.seal(value, SecretSlot.appSecret(APP, name)));
    }

    /** A secret whose stored value is {@code stored} as it is (clear, or sealed elsewhere). */
    AppBuilder withStoredSecret(String name, String stored) {
      ((ArrayNode) body.at("/properties/configuration/secrets"))
          .addObject()
          .put("name", name)
          .put("value", stored);
      return this;
    }

    AppBuilder withImage(String reference) {
      image = reference;
      return this;
    }

    private ArrayNode registries() {
      return (ArrayNode) body.at("/properties/configuration/registries");
    }

    private static String type(boolean system, boolean user) {
      return system && user
          ? "SystemAssigned,UserAssigned"
          : system ? "SystemAssigned" : "UserAssigned";
    }

    /** Stores the app and diagnoses a pull of its image that failed with {@code error}. */
    Diagnosis failsWith(PullException error) {
      var stored = store.put(APP, body, Precondition.NONE);
      ImageReference reference = ImageReference.parse(image);
      Optional<JsonNode> entry = Optional.empty();
      for (var e : registries()) {
        if (e.path("server").asText().equalsIgnoreCase(reference.registry())) {
          entry = Optional.of(e);
        }
      }
      return diagnosis.diagnose(new FailedPull(stored, "api", reference, entry, error));
    }
  }

  static PullException unauthorized(PullException.Step step) {
    return new PullException(
        PullException.Reason.UNAUTHORIZED,
        step,
        401,
        "UNAUTHORIZED",
        "POST https://" + SERVER + "/oauth2/exchange: UNAUTHORIZED: authentication required",
        null);
  }

  static PullException manifestUnknown() {
    return new PullException(
        PullException.Reason.MANIFEST_UNKNOWN,
        PullException.Step.MANIFEST,
        404,
        "MANIFEST_UNKNOWN",
        "GET https://" + SERVER + "/v2/api/manifests/nope: MANIFEST_UNKNOWN: manifest unknown",
        null);
  }

  static PullException denied() {
    return new PullException(
        PullException.Reason.DENIED,
        PullException.Step.PING,
        403,
        "DENIED",
        "GET https://" + SERVER + "/v2/: DENIED: client with IP '127.0.0.12' is not allowed access",
        null);
  }
}
