package dev.berth.store.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.store.PostgresServer;
import dev.berth.store.Precondition;
import dev.berth.store.ResourceStore;
import dev.berth.store.ResourceStoreConformance;
import dev.berth.store.ResourceStores;
import dev.berth.store.StoreUnavailableException;
import dev.berth.store.StoredResource;
import dev.berth.store.internal.postgres.PostgresResourceStore.Sharing;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL driver against a real server ({@link PostgresServer}): the whole conformance
 * suite, each test on a new database, and what only a server shows: two Berth processes sharing one
 * database, a reopened store, a lost connection.
 */
class PostgresResourceStoreIT extends ResourceStoreConformance {

  private static PostgresServer server;
  private String url;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected ResourceStore newStore(Path dir, Clock clock) {
    try {
      url = server.newDatabase();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return PostgresResourceStore.open(url, clock, Sharing.SHARED);
  }

  @Test
  void aReopenedStoreSeesTheDataAndMigratesNothingTwice() {
    StoredResource written = store.put(app("rg", "a"), body("v", 1), Precondition.NONE);
    store.close();

    store = ResourceStores.open(url.substring("jdbc:".length()));

    assertThat(store.get(app("rg", "a"))).contains(written);
  }

  @Test
  void twoProcessesSharingTheDatabaseTakeTurnsInTheirTransactions() throws Exception {
    // Two stores on one database are what two Berth processes are: each its own connection and
    // lock. Read, then write one more, in a transaction: without the database-wide write lock,
    // both would read the same value and one write would be lost.
    var counter = app("rg", "counter");
    store.put(counter, body("n", 0), Precondition.NONE);
    int rounds = 100;
    try (ResourceStore other = PostgresResourceStore.open(url, Clock.systemUTC(), Sharing.SHARED);
        ExecutorService threads = Executors.newFixedThreadPool(2)) {
      List<Future<?>> done = new ArrayList<>();
      for (ResourceStore s : List.of(store, other)) {
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < rounds; i++) {
                    s.inTransaction(
                        tx -> {
                          long n = tx.get(counter).orElseThrow().body().path("n").asLong();
                          Thread.yield();
                          return tx.put(counter, body("n", n + 1), Precondition.NONE);
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }

    assertThat(store.get(counter).orElseThrow().body().path("n").asLong()).isEqualTo(2L * rounds);
  }

  @Test
  void aLostConnectionFailsOneCallAndTheNextOneConnectsAgain() throws Exception {
    store.put(app("rg", "a"), body("v", 1), Precondition.NONE);
    String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));

    server.terminateSessions(database);

    assertThatThrownBy(() -> store.get(app("rg", "a")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("PostgreSQL: ");
    assertThat(store.get(app("rg", "a"))).isPresent();
    store.put(app("rg", "b"), body("v", 1), Precondition.ABSENT);
    assertThat(store.get(app("rg", "b"))).isPresent();
  }

  @Test
  void anExclusiveStoreKeepsASecondOneOutUntilItsConnectionEnds() throws Exception {
    store.close();
    String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    store = PostgresResourceStore.open(url, Clock.systemUTC(), Sharing.EXCLUSIVE);
    store.put(app("rg", "a"), body("v", 1), Precondition.NONE);

    assertThatThrownBy(() -> PostgresResourceStore.open(url, Clock.systemUTC(), Sharing.EXCLUSIVE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another Berth uses the database")
        .hasMessageContaining("/" + database + " ")
        .hasMessageNotContaining("user=");

    // Its session ends (a server restart, an administrator): whoever connects first owns it.
    server.terminateSessions(database);
    try (ResourceStore second =
        PostgresResourceStore.open(url, Clock.systemUTC(), Sharing.EXCLUSIVE)) {
      assertThat(second.get(app("rg", "a"))).isPresent();
      assertThatThrownBy(() -> store.get(app("rg", "a")))
          .isInstanceOf(IllegalStateException.class); // the lost connection
      assertThatThrownBy(() -> store.get(app("rg", "a")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another Berth uses the database");
    }
    // Once the other has gone, the first one connects again and owns the database.
    assertThat(store.get(app("rg", "a"))).isPresent();
  }
}
