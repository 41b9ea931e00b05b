package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * Reads registry answers: the JSON body of a success, or ACR's error envelope {@code
 * {"errors":[{"code","message","detail"}]}} as a {@link RegistryCallException}. Stateless.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">OCI
 *     distribution spec, error codes</a>
 */
final class RegistryResponses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryResponses() {}

  static JsonNode checked(HttpResponse<String> response) {
    JsonNode body = parse(response.body());
    int status = response.statusCode();
    if (status < 400) {
      return body;
    }
    throw error(status, body);
  }

  static RegistryCallException error(int status, JsonNode body) {
    JsonNode first = body.path("errors").path(0);
    String code = first.path("code").asText("");
    String message = first.path("message").asText("");
    if (code.isEmpty()) {
      code = "HttpResponseError";
    }
    if (message.isEmpty()) {
      message = "The registry answered with status " + status + ".";
    }
    return new RegistryCallException(status, code, message);
  }

  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
