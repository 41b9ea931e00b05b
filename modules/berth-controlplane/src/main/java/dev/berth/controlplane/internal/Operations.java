package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-running operations: each is a document at {@code
 * /subscriptions/{sub}/providers/{Namespace}/locations/{location}/operationStatuses/{id}} whose
 * {@code status} goes InProgress → Succeeded | Failed; the work runs on the executor. The result
 * resource ({@code …/operationResults/{id}}) is computed, not stored. Thread-safe.
 *
 * @see <a
 *     href="https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/async-api-reference.md">ARM
 *     async operations</a>
 */
public final class Operations {

  /** What the operation did, which decides what its result resource answers when done. */
  public enum Kind {
    /** PUT or PATCH: the result is the resource. */
    WRITE,
    /** DELETE: the result is an empty 200. */
    DELETE
  }

  /** The work of an operation. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  private final ResourceStore store;
  private final Executor executor;
  private final Clock clock;
  private final String location;

  public Operations(ResourceStore store, Executor executor, Clock clock, String location) {
    this.store = store;
    this.executor = executor;
    this.clock = clock;
    this.location = location;
  }

  /**
   * Records a new operation on {@code target}, starts {@code work} on the executor and sets the
   * {@code Azure-AsyncOperation}, {@code Location} and {@code Retry-After} headers of the reply.
   */
  public ResourceId start(ArmCall call, ResourceId target, String namespace, Kind kind, Work work) {
    String sub = target.subscriptionId().orElseThrow();
    String opName = UUID.randomUUID().toString();
    ResourceId opId =
        ResourceId.parse(
            "/subscriptions/"
                + sub
                + "/providers/"
                + namespace
                + "/locations/"
                + location
                + "/operationStatuses/"
                + opName);
    Principal by = call.principal();
    ObjectNode doc =
        Json.object()
            .put("id", opId.value())
            .put("name", opName)
            .put("status", "InProgress")
            .put("startTime", clock.instant().toString())
            .put("resourceId", target.value())
            .put("kind", kind.name())
            .put("createdBy", by.objectId());
    store.put(opId, doc, Precondition.ABSENT);
    setHeaders(call, opId);
    executor.execute(() -> finish(opId, work));
    return opId;
  }

  /** Sets the polling headers for an operation, absolute on the host the client called. */
  public void setHeaders(ArmCall call, ResourceId opId) {
    String query = "?api-version=" + call.apiVersion();
    call.setHeader("Azure-AsyncOperation", call.exchange().baseUrl() + opId.value() + query);
    call.setHeader("Location", call.exchange().baseUrl() + resultId(opId) + query);
    call.setHeader("Retry-After", "1");
  }

  /** {@code …/operationStatuses/{id}} → {@code …/operationResults/{id}}. */
  static String resultId(ResourceId statusId) {
    String v = statusId.value();
    int cut = v.lastIndexOf("/operationStatuses/");
    return v.substring(0, cut)
        + "/operationResults/"
        + v.substring(cut + "/operationStatuses/".length());
  }

  private void finish(ResourceId opId, Work work) {
    ObjectNode error = null;
    int errorStatus = 0;
    try {
      work.run();
    } catch (ArmException e) {
      error = ErrorWriter.errorObject(e.code().name(), e.getMessage());
      errorStatus = e.status();
    } catch (Exception | Error e) {
      LOG.error("operation {} failed", opId, e);
      error =
          ErrorWriter.errorObject(
              ArmErrorCode.InternalServerError.name(),
              "The operation failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      errorStatus = 500;
    }
    try {
      var current = store.get(opId);
      if (current.isEmpty()) {
        return; // the subscription went away with it
      }
      ObjectNode doc = current.get().body().deepCopy();
      doc.put("status", error == null ? "Succeeded" : "Failed");
      doc.put("endTime", clock.instant().toString());
      if (error != null) {
        doc.set("error", error);
        doc.put("errorStatus", errorStatus);
      }
      store.put(opId, doc, Precondition.NONE);
    } catch (RuntimeException e) {
      LOG.error("cannot record the end of operation {}", opId, e);
    }
  }
}
