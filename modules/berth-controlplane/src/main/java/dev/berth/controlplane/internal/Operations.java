package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.ResourceId;
import dev.berth.http.Json;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-running operations: each is a document at {@code
 * /subscriptions/{sub}/providers/{Namespace}/locations/{location}/operationStatuses/{id}} whose
 * {@code status} goes InProgress → Succeeded | Failed | Canceled, exactly once; the work runs on
 * the executor. The result resource ({@code …/operationResults/{id}}) is computed, not stored. Each
 * document names the process that runs it ({@code runner}), so that after a crash {@link
 * OperationRecovery} can tell the orphans of a dead process from the live work of this one.
 * Thread-safe.
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
    DELETE,
    /** A long-running POST action (ACR's {@code importImage}): the result is an empty 200. */
    ACTION
  }

  /** The work of an operation. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  /**
   * How an operation ended: ARM's terminal {@code status} and, unless it succeeded, the error and
   * the HTTP status its result resource answers with.
   */
  public record End(String status, ArmException error) {

    static final End SUCCEEDED = new End("Succeeded", null);

    static End failed(ArmException error) {
      return new End("Failed", error);
    }

    /** Another operation took the resource over before this one finished. */
    static End canceled(ArmException why) {
      return new End("Canceled", why);
    }
  }

  static final String STATUS_TYPE_SUFFIX = "/locations/operationStatuses";
  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  private final ResourceStore store;
  private final Executor executor;
  private final Clock clock;
  private final String location;
  private final String runner = UUID.randomUUID().toString();
  private final Instant startedAt;

  public Operations(ResourceStore store, Executor executor, Clock clock, String location) {
    this.store = store;
    this.executor = executor;
    this.clock = clock;
    this.location = location;
    // The store stamps documents with the system clock, whatever clock the API answers with.
    this.startedAt = Instant.now();
  }

  /** Every namespace operations may live in: Microsoft.Resources and each provider's. */
  static Set<String> namespaces(ResourceTypes types) {
    Set<String> out = new LinkedHashSet<>();
    out.add("Microsoft.Resources");
    types.all().forEach(t -> out.add(t.namespace()));
    return out;
  }

  /** The type of the status documents of {@code namespace}'s operations. */
  static String statusType(String namespace) {
    return namespace + STATUS_TYPE_SUFFIX;
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
            .put("createdBy", by.objectId())
            .put("runner", runner);
    store.put(opId, doc, Precondition.ABSENT);
    setHeaders(call, opId);
    executor.execute(() -> end(opId, outcome(opId, work)));
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

  /** When this process's operations began: documents written since are this process's. */
  Instant startedAt() {
    return startedAt;
  }

  /** True for an operation still InProgress that a process other than this one started. */
  boolean orphaned(StoredResource op) {
    return "InProgress".equals(op.body().path("status").asText())
        && !runner.equals(op.body().path("runner").asText());
  }

  /**
   * Runs {@code work} and says how an operation that ran it ends; {@code what} names it in logs.
   */
  static End outcome(Object what, Work work) {
    try {
      work.run();
      return End.SUCCEEDED;
    } catch (ArmException e) {
      return End.failed(e);
    } catch (Exception | Error e) {
      LOG.error("operation {} failed", what, e);
      return End.failed(
          ArmException.of(
              ArmErrorCode.InternalServerError,
              "The operation failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  /**
   * Records how an operation ended, unless it already has: an operation ends once, so a late or
   * second ending (recovery racing a slow worker) never overwrites the first.
   */
  void end(ResourceId opId, End end) {
    try {
      store.inTransaction(
          s -> {
            var current = s.get(opId);
            if (current.isEmpty()
                || !"InProgress".equals(current.get().body().path("status").asText())) {
              return null; // gone with its subscription, or already ended
            }
            ObjectNode doc = current.get().body().deepCopy();
            doc.put("status", end.status());
            doc.put("endTime", clock.instant().toString());
            if (end.error() != null) {
              doc.set("error", ErrorWriter.envelope(end.error()).get("error"));
              doc.put("errorStatus", end.error().status());
            }
            return s.put(opId, doc, Precondition.ifMatch(current.get().etag()));
          });
    } catch (RuntimeException e) {
      LOG.error("cannot record the end of operation {}", opId, e);
    }
  }
}
