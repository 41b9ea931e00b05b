package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;

/**
 * Typed access to a container app body with ACA's errors: a value of the wrong JSON type is {@code
 * ContainerAppInvalidSchema}, a value that breaks a rule is {@code
 * InvalidParameterValueInContainerTemplate} in ACA's "The following field(s) are either invalid or
 * missing" wording. Stateless.
 */
final class Fields {

  private Fields() {}

  /** The object at {@code name} in {@code parent}, created when absent or null. */
  static ObjectNode object(ObjectNode parent, String name, String path) {
    JsonNode v = parent.get(name);
    if (v == null || v.isNull()) {
      return parent.putObject(name);
    }
    if (v instanceof ObjectNode o) {
      return o;
    }
    throw schema(path);
  }

  /** The array at {@code name}, created (empty) when absent or null. */
  static ArrayNode array(ObjectNode parent, String name, String path) {
    JsonNode v = parent.get(name);
    if (v == null || v.isNull()) {
      return parent.putArray(name);
    }
    if (v instanceof ArrayNode a) {
      return a;
    }
    throw schema(path);
  }

  /** The elements of an array must be objects. */
  static ObjectNode element(JsonNode item, String path) {
    if (item instanceof ObjectNode o) {
      return o;
    }
    throw schema(path);
  }

  /** A string field; empty when absent or null, 400 when it is not a string. */
  static String text(ObjectNode parent, String name, String path) {
    JsonNode v = parent.get(name);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw schema(path);
    }
    return v.asText();
  }

  /**
   * A boolean at {@code name}, stored as JSON's {@code true} or {@code false}: {@code false} when
   * absent or null, and the text {@code "true"} or {@code "false"} (any case) as the boolean it
   * names. Anything else does not fit the schema: stored as it came, it read as {@code false} here
   * and broke the SDKs that read it back.
   */
  static boolean bool(ObjectNode parent, String name, String path) {
    JsonNode v = parent.get(name);
    boolean value;
    if (v == null || v.isNull()) {
      value = false;
    } else if (v.isBoolean()) {
      value = v.booleanValue();
    } else if (v.isTextual()
        && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
      value = v.asText().equalsIgnoreCase("true");
    } else {
      throw schema(path);
    }
    parent.put(name, value);
    return value;
  }

  /** ACA's schema error, naming the path that does not fit. */
  static ArmException schema(String path) {
    return ArmException.of(
            ArmErrorCode.ContainerAppInvalidSchema,
            "Invalid request body for container app. Path: $."
                + path
                + ". Does not conform to Container App schema.")
        .withTarget(path);
  }

  /** ACA's field error, naming the field and what is wrong with it. */
  static ArmException invalid(String field, String details) {
    return ArmException.of(
            ArmErrorCode.InvalidParameterValueInContainerTemplate,
            "The following field(s) are either invalid or missing. Field '"
                + field
                + "' is invalid with details: '"
                + details
                + "';.")
        .withTarget(field);
  }
}
