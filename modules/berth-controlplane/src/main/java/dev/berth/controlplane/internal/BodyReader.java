package dev.berth.controlplane.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrors;
import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import java.util.Locale;

/**
 * Reads the body of routes that take one: at most the configured limit (413 {@code
 * RequestEntityTooLarge}), JSON (400 {@code InvalidRequestContent}), an object (400 for arrays and
 * scalars). An empty body reads as {@code {}}. Thread-safe.
 */
public final class BodyReader implements Step {

  private final long limit;

  public BodyReader(long limit) {
    this.limit = limit;
  }

  @Override
  public void apply(ArmCall call) throws Exception {
    if (!call.route().readsBody()) {
      return;
    }
    byte[] bytes;
    try {
      bytes = call.exchange().body(limit);
    } catch (HttpExchange.BodyTooLargeException e) {
      throw ArmErrors.bodyTooLarge(limit);
    }
    if (isBlank(bytes)) {
      call.body(Json.object());
      return;
    }
    JsonNode node;
    try {
      node = Json.parse(bytes);
    } catch (JsonProcessingException e) {
      throw ArmErrors.invalidRequestContent(e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw ArmErrors.invalidRequestContent(
          "expected a JSON object but found "
              + node.getNodeType().name().toLowerCase(Locale.ROOT)
              + ".");
    }
    call.body(object);
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }
}
