package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.api.ResourceId;
import dev.berth.store.internal.sqlite.SqliteResourceStore;
import dev.berth.store.memory.InMemoryResourceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceStoresTest {

  @TempDir Path dir;

  @Test
  void sqliteUrlsOpenAFileCreatingItsParentDirectories() {
    Path file = dir.resolve("a/b/berth.db");
    try (ResourceStore store = ResourceStores.open("sqlite:" + file)) {
      assertThat(store).isInstanceOf(SqliteResourceStore.class);
      store.put(
          ResourceId.subscription("s"), JsonNodeFactory.instance.objectNode(), Precondition.NONE);
    }
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void memoryUrlsOpenAnEmptyStoreInMemory() {
    try (ResourceStore store = ResourceStores.open("memory:")) {
      assertThat(store).isInstanceOf(InMemoryResourceStore.class);
    }
  }

  @Test
  void unknownSchemesAreRefusedNamingTheSupportedOnes() {
    assertThatThrownBy(() -> ResourceStores.open("mysql://db/berth"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mysql")
        .hasMessageContaining("memory:, postgres:, postgresql:, sqlite:");
    assertThatThrownBy(() -> ResourceStores.open("berth.db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory:, postgres:, postgresql:, sqlite:");
  }

  @Test
  void postgresqlUrlsMayNotHoldAPassword() {
    for (String url :
        List.of(
            "postgresql://db:5432/berth?user=berth&password=hunter2",
            "postgres://db/berth?PASSWORD=hunter2",
            "postgresql://berth:hunter2@db/berth")) {
      assertThatThrownBy(() -> ResourceStores.open(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("~/.pgpass")
          .hasMessageNotContaining("hunter2");
    }
  }

  @Test
  void postgresqlUrlsNeedAServer() {
    assertThatThrownBy(() -> ResourceStores.open("postgresql:berth"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://localhost:5432/berth?user=berth");
  }

  @Test
  void sqliteUrlsNeedAnAbsolutePath() {
    assertThatThrownBy(() -> ResourceStores.open("sqlite:berth.db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> ResourceStores.open("sqlite:"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void copiesNeedAStoreThatExistsAndTwoSqlStores() {
    Path missing = dir.resolve("none/berth.db");
    assertThatThrownBy(() -> ResourceStores.copy("sqlite:" + missing, "memory:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("there is no store to copy");
    assertThat(missing.getParent()).doesNotExist();

    Path file = dir.resolve("berth.db");
    ResourceStores.open("sqlite:" + file).close();
    assertThatThrownBy(() -> ResourceStores.copy("sqlite:" + file, "memory:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only sqlite: and postgresql: stores are copied");
  }

  @Test
  void aCopyKeepsEveryDocumentAsItIsAndFillsOnlyAnEmptyStore() {
    Path from = dir.resolve("from.db");
    Path to = dir.resolve("to.db");
    StoredResource written;
    try (ResourceStore store = ResourceStores.open("sqlite:" + from)) {
      written =
          store.put(
              ResourceId.subscription("s"),
              JsonNodeFactory.instance.objectNode().put("v", 1),
              Precondition.NONE);
    }

    assertThat(ResourceStores.copy("sqlite:" + from, "sqlite:" + to)).isEqualTo(1);
    try (ResourceStore store = ResourceStores.open("sqlite:" + to)) {
      assertThat(store.get(ResourceId.subscription("s"))).contains(written);
    }
    assertThatThrownBy(() -> ResourceStores.copy("sqlite:" + from, "sqlite:" + to))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not empty");
  }
}
