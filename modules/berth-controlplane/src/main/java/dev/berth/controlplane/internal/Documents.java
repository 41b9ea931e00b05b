package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.StoredResource;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Helpers every ARM handler shares for resource documents: the envelope fields, {@code systemData},
 * RFC 7396 merge-patch, etags and conditional headers. Stateless and thread-safe.
 */
public final class Documents {

  /** Envelope fields a client may send but the server owns. */
  static final Set<String> SERVER_OWNED = Set.of("id", "name", "type", "etag", "systemData");

  /**
   * The top-level field that holds a provider's hidden state ({@code "berth": {…}}): never shown to
   * clients, never taken from their bodies, kept across their writes.
   */
  public static final String HIDDEN = "berth";

  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

  private Documents() {}

  /** The stored body as clients see it: with {@code etag}, without the hidden field. */
  public static ObjectNode view(StoredResource doc) {
    ObjectNode out = doc.body().deepCopy();
    out.remove(HIDDEN);
    out.put("etag", quote(doc.etag()));
    return out;
  }

  public static String quote(String etag) {
    return "\"" + etag + "\"";
  }

  /** The {@code If-Match} / {@code If-None-Match} headers as a store precondition. */
  public static Precondition precondition(ArmCall call) {
    var ifMatch = call.header("If-Match").map(String::strip).filter(s -> !s.isEmpty());
    if (ifMatch.isPresent()) {
      return ifMatch.get().equals("*")
          ? Precondition.EXISTS
          : Precondition.ifMatch(unquote(ifMatch.get()));
    }
    var ifNoneMatch = call.header("If-None-Match").map(String::strip).filter(s -> !s.isEmpty());
    if (ifNoneMatch.isPresent()) {
      return ifNoneMatch.get().equals("*")
          ? Precondition.ABSENT
          : Precondition.ifNoneMatch(unquote(ifNoneMatch.get()));
    }
    return Precondition.NONE;
  }

  private static String unquote(String etag) {
    String e = etag.startsWith("W/") ? etag.substring(2) : etag;
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")
        ? e.substring(1, e.length() - 1)
        : e;
  }

  /** ARM accepts {@code West US}, {@code westus} and {@code West us} alike. */
  public static String normalizeLocation(String location) {
    return location.replace(" ", "").toLowerCase(Locale.ROOT);
  }

  /** The required {@code location} of a tracked resource, normalised. */
  static String requireLocation(ObjectNode body) {
    JsonNode loc = body.get("location");
    if (loc == null || !loc.isTextual() || loc.asText().isBlank()) {
      throw ArmException.of(
              ArmErrorCode.LocationRequired,
              "The location property is required for this definition.")
          .withTarget("location");
    }
    return normalizeLocation(loc.asText());
  }

  /** Checks that {@code tags}, when present, is an object of strings (or null). */
  static void checkTags(ObjectNode body) {
    JsonNode tags = body.get("tags");
    if (tags == null || tags.isNull()) {
      return;
    }
    if (!tags.isObject()) {
      throw ArmException.of(
              ArmErrorCode.InvalidRequestContent, "The 'tags' property must be an object.")
          .withTarget("tags");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
      if (!it.next().getValue().isTextual()) {
        throw ArmException.of(ArmErrorCode.InvalidRequestContent, "Tag values must be strings.")
            .withTarget("tags");
      }
    }
  }

  /** RFC 7396: objects merge key by key, {@code null} removes, anything else replaces. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** ARM's {@code systemData}: who created the resource and who changed it last, and when. */
  static ObjectNode systemData(JsonNode previous, Principal by, Instant now) {
    ObjectNode data = Json.object();
    String who = by.appId() != null ? by.appId() : by.objectId();
    String kind = by.type() == Principal.PrincipalType.User ? "User" : "Application";
    if (previous != null && previous.isObject() && previous.has("createdBy")) {
      data.set("createdBy", previous.get("createdBy"));
      data.set("createdByType", previous.get("createdByType"));
      data.set("createdAt", previous.get("createdAt"));
    } else {
      data.put("createdBy", who).put("createdByType", kind).put("createdAt", now.toString());
    }
    data.put("lastModifiedBy", who)
        .put("lastModifiedByType", kind)
        .put("lastModifiedAt", now.toString());
    return data;
  }

  /** The {@code properties} object of a document, created when missing. */
  static ObjectNode properties(ObjectNode doc) {
    JsonNode p = doc.get("properties");
    if (p instanceof ObjectNode o) {
      return o;
    }
    return doc.putObject("properties");
  }

  static String provisioningState(ObjectNode doc) {
    JsonNode p = doc.path("properties").path("provisioningState");
    return p.isTextual() ? p.asText() : "Succeeded";
  }

  static boolean isTerminal(String state) {
    return TERMINAL.contains(state.toLowerCase(Locale.ROOT));
  }

  /** A 404 for a resource group that does not exist. */
  static ArmException groupNotFound(ResourceId id) {
    return ArmErrors.resourceGroupNotFound(id.resourceGroupName().orElse(id.name()));
  }
}
