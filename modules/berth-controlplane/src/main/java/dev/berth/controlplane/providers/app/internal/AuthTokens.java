package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;

/**
 * The reply of {@code POST …/containerApps/{app}/getAuthToken} and {@code
 * …/managedEnvironments/{env}/getAuthToken} (ACA's {@code ContainerAppAuthToken} and {@code
 * EnvironmentAuthToken}): the resource's envelope with {@code properties.token} and {@code
 * expires}. The ARM layer has checked {@code …/getAuthToken/action} at the resource (Reader does
 * not hold it). Stateless.
 */
final class AuthTokens {

  private AuthTokens() {}

  static ObjectNode reply(StreamTokens tokens, ResourceId id, ObjectNode stored, String type) {
    StreamTokens.Issued issued = tokens.issue(id);
    ObjectNode reply = Json.object();
    reply.put("id", id.value()).put("name", id.name()).put("type", type);
    if (stored.hasNonNull("location")) {
      reply.set("location", stored.get("location"));
    }
    reply
        .putObject("properties")
        .put("token", issued.token())
        .put("expires", issued.expires().toString());
    return reply;
  }
}
