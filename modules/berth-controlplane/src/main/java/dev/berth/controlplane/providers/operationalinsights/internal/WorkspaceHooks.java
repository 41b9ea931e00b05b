package dev.berth.controlplane.providers.operationalinsights.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.http.Json;
import dev.berth.store.ResourceStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Log Analytics workspaces ({@code Microsoft.OperationalInsights/workspaces}): a {@code customerId}
 * made once, the service's defaults, two random shared keys made once and kept sealed in the hidden
 * part of the document (never in clear, never in a reply but {@code sharedKeys}'), and {@code POST
 * …/sharedKeys}. Thread-safe.
 */
public final class WorkspaceHooks implements ResourceHooks {

  /** Properties Berth computes; the ARM layer ignores clients' values. */
  public static final List<String> READ_ONLY = List.of("customerId", "createdDate", "modifiedDate");

  private static final String[] KEYS = {"primarySharedKey", "secondarySharedKey"};
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretSealer sealer;
  private final Clock clock;

  public WorkspaceHooks(SecretSealer sealer, Clock clock) {
    this.sealer = sealer;
    this.clock = clock;
  }

  @Override
  public ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    ObjectNode p =
        desired.get("properties") instanceof ObjectNode props
            ? props
            : desired.putObject("properties");
    String now = clock.instant().toString();
    if (current.isEmpty() || !p.hasNonNull("customerId")) {
      p.put("customerId", UUID.randomUUID().toString());
      p.put("createdDate", now);
    }
    p.put("modifiedDate", now);
    if (!(p.get("sku") instanceof ObjectNode sku) || !sku.hasNonNull("name")) {
      p.putObject("sku").put("name", "PerGB2018");
    }
    if (!p.path("retentionInDays").canConvertToInt()) {
      p.put("retentionInDays", 30);
    }
    if (!(p.get("workspaceCapping") instanceof ObjectNode)) {
      p.putObject("workspaceCapping").put("dailyQuotaGb", -1.0);
    }
    for (String access :
        List.of("publicNetworkAccessForIngestion", "publicNetworkAccessForQuery")) {
      if (!p.hasNonNull(access)) {
        p.put(access, "Enabled");
      }
    }
    ObjectNode hidden =
        desired.get("berth") instanceof ObjectNode h ? h : desired.putObject("berth");
    if (!(hidden.get("sharedKeys") instanceof ObjectNode)) {
      ObjectNode keys = hidden.putObject("sharedKeys");
      for (String name : KEYS) {
        keys.put(name, sealer.seal(newKey(), slot(id, name)));
      }
    }
    return desired;
  }

  @Override
  public Optional<JsonNode> action(
      String action, ResourceId id, ObjectNode stored, ObjectNode body) {
    if (!action.equalsIgnoreCase("sharedKeys")) {
      return Optional.empty();
    }
    ObjectNode reply = Json.object();
    for (String name : KEYS) {
      reply.put(name, open(sealer, id, stored, name));
    }
    return Optional.of(reply);
  }

  /**
   * True when {@code key} is one of the workspace's two shared keys (compared in constant time).
   */
  public static boolean matchesSharedKey(
      SecretSealer sealer, ResourceId id, JsonNode stored, String key) {
    byte[] given = key.strip().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (String name : KEYS) {
      String clear = open(sealer, id, stored, name);
      match |=
          !clear.isEmpty() && MessageDigest.isEqual(given, clear.getBytes(StandardCharsets.UTF_8));
    }
    return match;
  }

  private static String open(SecretSealer sealer, ResourceId id, JsonNode stored, String name) {
    String sealed = stored.path("berth").path("sharedKeys").path(name).asText("");
    return sealed.isEmpty() ? "" : sealer.open(sealed, slot(id, name));
  }

  private static SecretSlot slot(ResourceId workspace, String name) {
    return new SecretSlot(workspace, "sharedKeys." + name);
  }

  /** 64 random bytes in base64: the form and strength of Log Analytics' keys. */
  private static String newKey() {
    byte[] key = new byte[64];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
