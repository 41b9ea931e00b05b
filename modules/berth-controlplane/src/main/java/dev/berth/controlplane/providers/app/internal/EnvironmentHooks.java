package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.ManagedEnvironment;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.controlplane.providers.app.LogStreamAccess;
import dev.berth.controlplane.providers.app.OutboundAddresses;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Managed environments ({@code Microsoft.App/managedEnvironments}): defaults, the read-only domain
 * and address made once at creation, the Log Analytics workspace its logs configuration names
 * ({@link AppLogsConfiguration}), the event-stream endpoint and {@code getAuthToken} for its
 * stream, the refusal to delete an environment that still has container apps, and the address given
 * back on delete. Thread-safe.
 */
public final class EnvironmentHooks implements ResourceHooks {

  /** Properties Berth computes; the ARM layer ignores clients' values and keeps the stored ones. */
  public static final List<String> READ_ONLY =
      List.of(
          "defaultDomain",
          "staticIp",
          "outboundAddress",
          "eventStreamEndpoint",
          "deploymentErrors",
          "kedaConfiguration",
          "daprConfiguration");

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final OutboundAddresses addresses;
  private final LogStreamAccess streams;
  private final AppLogsConfiguration logs;

  public EnvironmentHooks(
      OutboundAddresses addresses, LogStreamAccess streams, AppLogsConfiguration logs) {
    this.addresses = addresses;
    this.streams = streams;
    this.logs = logs;
  }

  @Override
  public ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    ObjectNode p =
        desired.get("properties") instanceof ObjectNode props
            ? props
            : desired.putObject("properties");
    checkShapes(p);
    if (!(p.get("workloadProfiles") instanceof ArrayNode profiles) || profiles.isEmpty()) {
      // az picks the "Consumption" profile when none is given; a workload-profiles environment
      // always has it.
      p.putArray("workloadProfiles")
          .addObject()
          .put("name", "Consumption")
          .put("workloadProfileType", "Consumption");
    }
    if (!p.path("vnetConfiguration").path("infrastructureSubnetId").asText("").isBlank()) {
      // A subnet is a linked resource Berth does not have: refuse it rather than store and ignore.
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "vnetConfiguration.infrastructureSubnetId is not supported by Berth, which has no"
                  + " virtual networks; leave it out.")
          .withTarget("properties.vnetConfiguration.infrastructureSubnetId");
    }
    logs.apply(tx, id, p, current);
    if (!p.hasNonNull("zoneRedundant")) {
      p.put("zoneRedundant", false);
    }
    if (current.isEmpty() || !p.hasNonNull("defaultDomain")) {
      // The domain's random label keeps a re-created environment of the same name from answering
      // for the old one's apps; it is chosen once and kept for the environment's life. Under
      // "localhost", curl and browsers resolve every name to loopback with no DNS set-up (RFC 6761
      // §6.3), and "*.<env>.<random>.localhost" has the two dots curl wants after a wildcard.
      String domain = id.name().toLowerCase(Locale.ROOT) + "." + label() + ".localhost";
      String address = addresses.assign(id);
      p.put("defaultDomain", domain);
      p.put("staticIp", address);
      p.put("outboundAddress", address);
    }
    return desired;
  }

  /**
   * The settings Berth stores without acting on them have the shapes the SDKs read back: {@code
   * workloadProfiles} an array of objects with a name and a type, {@code appLogsConfiguration} an
   * object whose {@code destination} is text, {@code zoneRedundant} a boolean.
   */
  private static void checkShapes(ObjectNode p) {
    JsonNode profiles = p.get("workloadProfiles");
    if (profiles != null && !profiles.isNull()) {
      if (!profiles.isArray()) {
        throw shape("properties.workloadProfiles", "an array of workload profiles");
      }
      for (int i = 0; i < profiles.size(); i++) {
        String at = "properties.workloadProfiles[" + i + "]";
        JsonNode profile = profiles.get(i);
        if (!profile.isObject()) {
          throw shape(at, "an object with a name and a workloadProfileType");
        }
        if (!profile.path("name").isTextual() || profile.path("name").asText().isBlank()) {
          throw shape(at + ".name", "the profile's name");
        }
        if (!profile.path("workloadProfileType").isTextual()) {
          throw shape(at + ".workloadProfileType", "text such as 'Consumption'");
        }
      }
    }
    JsonNode logs = p.get("appLogsConfiguration");
    if (logs != null && !logs.isNull()) {
      if (!logs.isObject()) {
        throw shape("properties.appLogsConfiguration", "an object");
      }
      JsonNode destination = logs.get("destination");
      if (destination != null && !destination.isNull() && !destination.isTextual()) {
        throw shape(
            "properties.appLogsConfiguration.destination", "text such as 'log-analytics', or null");
      }
    }
    JsonNode zoneRedundant = p.get("zoneRedundant");
    if (zoneRedundant != null && !zoneRedundant.isNull() && !zoneRedundant.isBoolean()) {
      throw shape("properties.zoneRedundant", "true or false");
    }
  }

  private static ArmException shape(String target, String expected) {
    return ArmErrors.invalidRequestContent("'" + target + "' must be " + expected + ".")
        .withTarget(target);
  }

  /** The event-stream endpoint is computed on read: environments made before it moved show it. */
  @Override
  public ObjectNode view(ResourceId id, ObjectNode doc) {
    Fields.object(doc, "properties", "properties")
        .put("eventStreamEndpoint", streams.eventStreamEndpoint(id));
    return doc;
  }

  @Override
  public Optional<JsonNode> action(
      String action, ResourceId id, ObjectNode stored, ObjectNode body) {
    if (action.equalsIgnoreCase("getAuthToken")) {
      return Optional.of(
          AuthTokens.reply(streams.tokens(), id, stored, "Microsoft.App/environments/accesstoken"));
    }
    return Optional.empty();
  }

  @Override
  public void checkDelete(ResourceStore tx, ResourceId id, ObjectNode stored) {
    Optional<ResourceId> app = anyContainerApp(tx, id);
    if (app.isPresent()) {
      String message =
          "Cannot delete managed environment '"
              + id.name()
              + "' because it has container apps, such as '"
              + app.get().name()
              + "'. Delete the container apps first.";
      throw ArmException.of(ArmErrorCode.ManagedEnvironmentHasContainerApps, message)
          .withDetails(
              List.of(
                  new ArmException.Detail(
                      "ManagedEnvironmentHasContainerApps", message, id.value())));
    }
  }

  @Override
  public void onDelete(ResourceId id, ObjectNode stored) {
    ManagedEnvironment.of(id, stored).staticIp().ifPresent(a -> addresses.release(id, a));
  }

  /** A container app in the same subscription whose environment is {@code env}. */
  private static Optional<ResourceId> anyContainerApp(ResourceStore tx, ResourceId env) {
    ResourceId sub = env.subscription().orElseThrow();
    return tx.stream(Query.descendants(sub, AppTypes.CONTAINER_APP).limit(500))
        .filter(doc -> ContainerApp.of(doc.id(), doc.body()).inEnvironment(env))
        .map(StoredResource::id)
        .findFirst();
  }

  private static String label() {
    StringBuilder s = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
