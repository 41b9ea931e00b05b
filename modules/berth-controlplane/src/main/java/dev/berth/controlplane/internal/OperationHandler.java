package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmErrors;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.identity.Authorizer;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.List;

/**
 * Serves the polling endpoints of long-running operations: the status resource (always 200 with
 * {@code status}) and the result resource (202 while running, then what the synchronous call would
 * have answered). The caller that started an operation may poll it; others need read access to the
 * subscription. Thread-safe.
 */
public final class OperationHandler {

  private final ResourceStore store;
  private final Authorizer authorizer;
  private final ResourceTypes types;

  public OperationHandler(ResourceStore store, Authorizer authorizer, ResourceTypes types) {
    this.store = store;
    this.authorizer = authorizer;
    this.types = types;
  }

  public void status(ArmCall call) {
    StoredResource op = find(call, statusId(call));
    ObjectNode out = op.body().deepCopy();
    out.remove(List.of("resourceId", "kind", "createdBy", "errorStatus", "runner"));
    call.json(200, out);
  }

  public void result(ArmCall call) {
    StoredResource op = find(call, statusId(call));
    ObjectNode body = op.body();
    switch (body.path("status").asText()) {
      case "Succeeded" -> {
        String kind = body.path("kind").asText();
        if (Operations.Kind.DELETE.name().equals(kind)
            || Operations.Kind.ACTION.name().equals(kind)) {
          call.empty(200);
          return;
        }
        ResourceId target = ResourceId.parse(body.path("resourceId").asText());
        StoredResource doc =
            store.get(target).orElseThrow(() -> ArmErrors.resourceNotFound(target));
        call.setHeader("ETag", Documents.quote(doc.etag()));
        call.json(200, types.view(doc));
      }
      case "Failed", "Canceled" -> {
        int status = body.path("errorStatus").asInt(500);
        ObjectNode envelope = Json.object();
        envelope.set("error", body.path("error").deepCopy());
        call.json(status, envelope);
      }
      default -> {
        String query = "?api-version=" + call.apiVersion();
        call.setHeader("Location", call.exchange().baseUrl() + call.exchange().path() + query);
        call.setHeader("Retry-After", "1");
        call.empty(202);
      }
    }
  }

  private static ResourceId statusId(ArmCall call) {
    return ResourceId.parse(
        "/subscriptions/"
            + call.var("subscriptionId")
            + "/providers/"
            + call.var("namespace")
            + "/locations/"
            + call.var("location")
            + "/operationStatuses/"
            + call.var("operationId"));
  }

  private StoredResource find(ArmCall call, ResourceId id) {
    StoredResource op =
        store
            .get(id)
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.NotFound, "The operation '" + id.name() + "' was not found."));
    String starter = op.body().path("createdBy").asText();
    ResourceId sub = id.subscription().orElseThrow();
    String action = call.var("namespace") + "/locations/operationStatuses/read";
    if (!starter.equalsIgnoreCase(call.principal().objectId())
        && !authorizer.isAllowed(call.principal(), action, sub)) {
      throw ArmErrors.authorizationFailed(call.principal().objectId(), action, sub);
    }
    return op;
  }
}
