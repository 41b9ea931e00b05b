package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.support.ArmServer;
import dev.berth.controlplane.support.ArmServer.Reply;
import dev.berth.store.Page;
import dev.berth.store.Precondition;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoreUnavailableException;
import dev.berth.store.StoredResource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * While the store's database cannot be reached, ARM answers 503 ServiceUnavailable with {@code
 * Retry-After}, in its envelope: the client may try again, and it is not a fault of Berth's. Once
 * the database is back, the same request works.
 */
class StoreUnavailableTest {

  private static final String GROUPS = "/subscriptions/" + SUB + "/resourcegroups";
  private static final String V = "?api-version=2021-04-01";
  private final AtomicBoolean down = new AtomicBoolean();
  private ArmServer arm;

  @BeforeEach
  void start() throws Exception {
    arm =
        ArmServer.withStoreView(
            store -> new Unreachable(store, down),
            store -> List.of(TestTypes.registries(), TestTypes.webhooks()));
  }

  @AfterEach
  void stop() throws Exception {
    arm.close();
  }

  @Test
  void aStoreThatCannotBeReachedIs503WithRetryAfterAndNot500() throws Exception {
    assertThat(arm.put(GROUPS + "/rg1" + V, "owner", "{\"location\":\"local\"}").status())
        .isEqualTo(201);

    down.set(true);
    for (Reply r :
        List.of(
            arm.get(GROUPS + V, "owner"),
            arm.put(GROUPS + "/rg2" + V, "owner", "{\"location\":\"local\"}"))) {
      assertThat(r.status()).as(r.raw().body()).isEqualTo(503);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("ServiceUnavailable");
      assertThat(r.json().at("/error/message").asText())
          .startsWith("Berth cannot reach its resource store now");
      assertThat(r.header("Retry-After")).isEqualTo("5");
    }

    down.set(false);
    assertThat(arm.get(GROUPS + "/rg1" + V, "owner").status()).isEqualTo(200);
  }

  /** The store as a database that is down makes it: every call fails, until it is back. */
  private record Unreachable(ResourceStore inner, AtomicBoolean down) implements ResourceStore {

    private void reach() {
      if (down.get()) {
        throw new StoreUnavailableException(
            "PostgreSQL: Connection refused", new java.sql.SQLException("refused", "08001"));
      }
    }

    @Override
    public Optional<StoredResource> get(ResourceId id) {
      reach();
      return inner.get(id);
    }

    @Override
    public StoredResource put(ResourceId id, ObjectNode body, Precondition precondition) {
      reach();
      return inner.put(id, body, precondition);
    }

    @Override
    public Optional<StoredResource> delete(ResourceId id, Precondition precondition) {
      reach();
      return inner.delete(id, precondition);
    }

    @Override
    public int deleteTree(ResourceId id) {
      reach();
      return inner.deleteTree(id);
    }

    @Override
    public Page list(Query query) {
      reach();
      return inner.list(query);
    }

    @Override
    public <T> T inTransaction(Function<ResourceStore, T> work) {
      reach();
      return inner.inTransaction(work);
    }

    @Override
    public AutoCloseable watch(Consumer<ResourceId> listener) {
      return inner.watch(listener);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
