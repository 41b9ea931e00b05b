package dev.berth.controlplane.providers.containerregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.http.Json;
import java.util.List;
import java.util.Optional;

/**
 * Small validators for provider documents: each refuses a bad value with 400 {@code
 * InvalidParameter} naming the property, and answers enum values in their canonical casing.
 * Stateless and thread-safe.
 */
final class Checks {

  private Checks() {}

  static ArmException invalid(String target, String message) {
    return ArmException.of(ArmErrorCode.InvalidParameter, message).withTarget(target);
  }

  /** The object at {@code field} of {@code parent}, created when absent; refuses non-objects. */
  static ObjectNode object(ObjectNode parent, String field, String target) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return parent.putObject(field);
    }
    if (!n.isObject()) {
      throw invalid(target, "The property '" + target + "' must be an object.");
    }
    return (ObjectNode) n;
  }

  /** Sets {@code field} to {@code dflt} when absent or null, else checks it is a boolean. */
  static void bool(ObjectNode parent, String field, boolean dflt, String target) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      parent.put(field, dflt);
    } else if (!n.isBoolean()) {
      throw invalid(target, "The property '" + target + "' must be true or false.");
    }
  }

  /**
   * Sets {@code field} to {@code dflt} when absent or null, else to the allowed value it names
   * (case-insensitively).
   */
  static void oneOf(
      ObjectNode parent, String field, String dflt, String target, String... allowed) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      parent.put(field, dflt);
      return;
    }
    parent.put(field, canonical(n, target, allowed));
  }

  /** The allowed value {@code n} names, case-insensitively; 400 otherwise. */
  static String canonical(JsonNode n, String target, String... allowed) {
    Optional<String> match =
        n.isTextual()
            ? List.of(allowed).stream().filter(a -> a.equalsIgnoreCase(n.asText())).findFirst()
            : Optional.empty();
    return match.orElseThrow(
        () ->
            invalid(
                target,
                "The value '"
                    + (n.isTextual() ? n.asText() : n.toString())
                    + "' of property '"
                    + target
                    + "' is invalid. Allowed values: "
                    + String.join(", ", allowed)
                    + "."));
  }

  /** Sets {@code field} to {@code dflt} when absent or null, else checks it is an integer. */
  static void integer(ObjectNode parent, String field, int dflt, String target) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      parent.put(field, dflt);
    } else if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw invalid(target, "The property '" + target + "' must be an integer.");
    }
  }

  /** An empty array for a read-only list that has no content in Berth. */
  static void emptyArray(ObjectNode parent, String field) {
    parent.set(field, Json.MAPPER.createArrayNode());
  }
}
