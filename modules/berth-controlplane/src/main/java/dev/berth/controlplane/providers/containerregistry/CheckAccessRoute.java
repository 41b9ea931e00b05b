package dev.berth.controlplane.providers.containerregistry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.controlplane.ProviderRoute;
import dev.berth.http.Json;
import dev.berth.store.ResourceStore;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST …/registries/{name}/checkAccess} with {@code {"identity", "repository", "action",
 * "sourceAddress"?, "audience"?}}: Berth's what-if for registry access (ACR has none). It tells who
 * may pull what, as reading role assignments does, so it needs an action of its own, which Owner
 * and Contributor hold and Reader, AcrPull and AcrPush do not. Thread-safe when its check is.
 */
public final class CheckAccessRoute {

  /** What asking takes. */
  public static final String ACTION = "Microsoft.ContainerRegistry/registries/checkAccess/action";

  private static final int MAX_BODY = 16 * 1024;
  private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F.:]{2,45}");

  private CheckAccessRoute() {}

  /** The route, to add to the registries type. */
  public static ProviderRoute of(ResourceStore store, RegistryAccessCheck check) {
    return new ProviderRoute(
        "checkAccess", "POST", "checkAccess", ACTION, request -> answer(store, check, request));
  }

  private static void answer(
      ResourceStore store, RegistryAccessCheck check, ProviderRoute.Request request)
      throws Exception {
    if (store.get(request.resource()).isEmpty()) {
      throw ArmException.of(
          ArmErrorCode.ResourceNotFound,
          "The Resource '"
              + request.resource().type()
              + "/"
              + request.resource().name()
              + "' under resource group '"
              + request.resource().resourceGroupName().orElse("")
              + "' was not found.");
    }
    JsonNode body;
    try {
      body = Json.parse(request.exchange().body(MAX_BODY));
    } catch (Exception e) {
      throw ArmException.of(ArmErrorCode.InvalidRequestContent, "The request body is not JSON.");
    }
    String identity = required(body, "identity");
    String repository = required(body, "repository");
    String action = body.path("action").asText("pull");
    if (!List.of("pull", "push").contains(action)) {
      throw invalid("action", "action must be 'pull' or 'push', not '" + action + "'.");
    }
    Optional<String> address =
        body.path("sourceAddress").isTextual()
            ? Optional.of(body.path("sourceAddress").asText())
            : Optional.empty();
    if (address.isPresent() && !ADDRESS.matcher(address.get()).matches()) {
      throw invalid("sourceAddress", "sourceAddress must be an IP address.");
    }
    String audience = body.path("audience").asText("arm");
    if (!audience.equals("arm") && !audience.equals("registry")) {
      throw invalid("audience", "audience must be 'arm' or 'registry'.");
    }
    request
        .exchange()
        .sendJson(
            200,
            check.check(
                new RegistryAccessCheck.Question(
                    request.resource(),
                    identity,
                    repository,
                    action,
                    address,
                    audience.equals("arm"))));
  }

  private static String required(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 1024) {
      throw invalid(field, "The body needs '" + field + "' (a string).");
    }
    return v.asText().strip();
  }

  private static ArmException invalid(String field, String message) {
    return ArmException.of(ArmErrorCode.InvalidParameter, message).withTarget(field);
  }
}
