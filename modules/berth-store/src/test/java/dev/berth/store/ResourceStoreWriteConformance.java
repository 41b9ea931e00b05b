package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Part of {@link ResourceStoreConformance}: single writes, preconditions, versions and deletes, and
 * the fixtures the other parts share. Drivers extend {@link ResourceStoreConformance}, not this.
 */
public abstract class ResourceStoreWriteConformance {

  protected static final String APPS = "Microsoft.App/containerApps";
  protected static final ResourceId RG = ResourceId.resourceGroup("s", "rg");

  @TempDir protected Path dir;
  protected ResourceStore store;

  /** A new, empty store of the driver under test, keeping its files in {@code dir}. */
  protected abstract ResourceStore newStore(Path dir, Clock clock);

  @BeforeEach
  void openStore() {
    store = newStore(dir, new SteppingClock());
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static ResourceId app(String group, String name) {
    return ResourceId.resourceGroup("s", group).provider("Microsoft.App", "containerApps", name);
  }

  protected static ObjectNode body(String field, long value) {
    return JsonNodeFactory.instance.objectNode().put(field, value);
  }

  @Test
  void putThenGetRoundTripsTheBody() {
    ObjectNode body = body("replicas", 3);
    body.putObject("properties").putArray("ports").add(80).add("http");

    StoredResource put = store.put(app("rg", "a"), body, Precondition.NONE);

    assertSameJson(put.body(), body);
    assertThat(put.generation()).isEqualTo(1);
    assertThat(store.get(app("rg", "a"))).hasValueSatisfying(got -> assertThat(got).isEqualTo(put));
    assertThat(store.get(app("rg", "missing"))).isEmpty();
  }

  @Test
  void idsAreCaseInsensitiveAndReadsReturnTheLatestCasing() {
    store.put(
        ResourceId.parse("/subscriptions/s/resourceGroups/RG"), body("v", 1), Precondition.NONE);
    ResourceId shouting = ResourceId.parse("/SUBSCRIPTIONS/S/RESOURCEGROUPS/Rg");
    store.put(shouting, body("v", 2), Precondition.EXISTS);

    StoredResource got = store.get(ResourceId.parse("/subscriptions/s/resourcegroups/rg")).get();
    assertThat(got.id().value()).isEqualTo(shouting.value());
    assertSameJson(got.body(), body("v", 2));
    assertThat(got.generation()).isEqualTo(2);
  }

  @Test
  void everyWriteChangesTheEtagAndGrowsTheGenerationByOne() {
    List<StoredResource> writes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      writes.add(store.put(app("rg", "a"), body("v", 1), Precondition.NONE));
    }
    assertThat(writes).extracting(StoredResource::generation).containsExactly(1L, 2L, 3L, 4L);
    assertThat(writes).extracting(StoredResource::etag).doesNotHaveDuplicates();
    assertThat(store.get(app("rg", "a")).get().etag()).isEqualTo(writes.get(3).etag());
  }

  @Test
  void createdAtIsKeptAndUpdatedAtMovesOnEveryWrite() {
    StoredResource first = store.put(app("rg", "a"), body("v", 1), Precondition.NONE);
    StoredResource second = store.put(app("rg", "a"), body("v", 2), Precondition.NONE);

    assertThat(first.updatedAt()).isEqualTo(first.createdAt());
    assertThat(second.createdAt()).isEqualTo(first.createdAt());
    assertThat(second.updatedAt()).isAfter(first.updatedAt());
    assertThat(store.get(app("rg", "a")).get().updatedAt()).isEqualTo(second.updatedAt());
  }

  @Test
  void putPreconditionsHoldOrFailWithTheCurrentDocument() {
    ResourceId id = app("rg", "a");
    assertRefused(() -> store.put(id, body("v", 0), Precondition.EXISTS), Optional.empty());
    assertRefused(() -> store.put(id, body("v", 0), Precondition.ifMatch("x")), Optional.empty());
    StoredResource v1 = store.put(id, body("v", 1), Precondition.ABSENT);

    assertRefused(() -> store.put(id, body("v", 0), Precondition.ABSENT), Optional.of(v1));
    StoredResource v2 = store.put(id, body("v", 2), Precondition.EXISTS);
    assertRefused(
        () -> store.put(id, body("v", 0), Precondition.ifMatch(v1.etag())), Optional.of(v2));
    StoredResource v3 = store.put(id, body("v", 3), Precondition.ifMatch(v2.etag()));
    assertRefused(
        () -> store.put(id, body("v", 0), Precondition.ifNoneMatch(v3.etag())), Optional.of(v3));
    StoredResource v4 = store.put(id, body("v", 4), Precondition.ifNoneMatch(v1.etag()));
    StoredResource v5 = store.put(id, body("v", 5), Precondition.NONE);

    assertThat(v5.generation()).isEqualTo(5);
    assertSameJson(v4.body(), body("v", 4));
    ResourceId other = app("rg", "b");
    assertThat(store.put(other, body("v", 1), Precondition.ifNoneMatch("x")).generation())
        .isEqualTo(1);
  }

  @Test
  void deletePreconditionsHoldOrFailWithTheCurrentDocument() {
    ResourceId id = app("rg", "a");
    assertRefused(() -> store.delete(id, Precondition.EXISTS), Optional.empty());
    assertRefused(() -> store.delete(id, Precondition.ifMatch("x")), Optional.empty());
    assertThat(store.delete(id, Precondition.ABSENT)).isEmpty();
    assertThat(store.delete(id, Precondition.ifNoneMatch("x"))).isEmpty();
    StoredResource v1 = store.put(id, body("v", 1), Precondition.NONE);

    assertRefused(() -> store.delete(id, Precondition.ABSENT), Optional.of(v1));
    assertRefused(() -> store.delete(id, Precondition.ifMatch("stale")), Optional.of(v1));
    assertRefused(() -> store.delete(id, Precondition.ifNoneMatch(v1.etag())), Optional.of(v1));
    assertThat(store.get(id)).contains(v1);

    assertThat(store.delete(id, Precondition.ifMatch(v1.etag()))).contains(v1);
    assertThat(store.get(id)).isEmpty();
    store.put(id, body("v", 2), Precondition.NONE);
    assertThat(store.delete(id, Precondition.EXISTS)).isPresent();
    store.put(id, body("v", 3), Precondition.NONE);
    assertThat(store.delete(id, Precondition.ifNoneMatch("other"))).isPresent();
  }

  @Test
  void deleteReturnsTheOldDocumentOrEmpty() {
    StoredResource put = store.put(app("rg", "a"), body("v", 1), Precondition.NONE);

    assertThat(store.delete(ResourceId.parse(put.id().key()), Precondition.NONE)).contains(put);
    assertThat(store.delete(app("rg", "a"), Precondition.NONE)).isEmpty();
    assertThat(store.get(app("rg", "a"))).isEmpty();
  }

  @Test
  void deleteTreeRemovesDescendantsAndExtensionsButNotSiblingsWithASharedPrefix() {
    ResourceId rg1 = ResourceId.resourceGroup("s", "rg1");
    ResourceId a = app("rg1", "a");
    ResourceId revision = a.child("revisions", "a--1");
    ResourceId roleOnApp = a.provider("Microsoft.Authorization", "roleAssignments", "x");
    ResourceId rg10 = ResourceId.resourceGroup("s", "rg10");
    for (ResourceId id : List.of(rg1, a, revision, roleOnApp, rg10, app("rg10", "a"))) {
      store.put(id, body("v", 1), Precondition.NONE);
    }

    assertThat(store.deleteTree(ResourceId.parse("/subscriptions/S/resourceGroups/RG1")))
        .isEqualTo(4);

    for (ResourceId gone : List.of(rg1, a, revision, roleOnApp)) {
      assertThat(store.get(gone)).as(gone.value()).isEmpty();
    }
    assertThat(store.get(rg10)).isPresent();
    assertThat(store.get(app("rg10", "a"))).isPresent();
    assertThat(store.deleteTree(app("rg1", "nothing"))).isZero();
  }

  @Test
  void deleteTreeOfTheRootRemovesEverything() {
    store.put(RG, body("v", 1), Precondition.NONE);
    store.put(app("rg", "a"), body("v", 1), Precondition.NONE);

    assertThat(store.deleteTree(ResourceId.root())).isEqualTo(2);
    assertThat(store.get(RG)).isEmpty();
  }

  @Test
  void storedBodiesAreIsolatedFromCallerMutation() {
    ResourceId id = app("rg", "a");
    ObjectNode mine = body("v", 1);
    StoredResource put = store.put(id, mine, Precondition.NONE);
    mine.put("v", 99);
    put.body().put("v", 98);
    store.get(id).get().body().put("v", 97);
    store.list(Query.children(RG, APPS)).items().get(0).body().put("v", 96);
    try {
      store.put(id, body("v", 0), Precondition.ABSENT);
    } catch (PreconditionFailedException e) {
      e.current().get().body().put("v", 95);
    }

    assertSameJson(store.get(id).get().body(), body("v", 1));
    store.delete(id, Precondition.NONE).get().body().put("v", 94);
  }

  /**
   * Compares bodies as JSON text: a driver that stores text reads {@code 1} back as an int node
   * even when the caller wrote a long, and Jackson's node equality tells those apart.
   */
  protected static void assertSameJson(ObjectNode actual, ObjectNode expected) {
    assertThat(actual.toString()).isEqualTo(expected.toString());
  }

  protected static void assertRefused(Runnable write, Optional<StoredResource> current) {
    assertThatThrownBy(write::run)
        .isInstanceOfSatisfying(
            PreconditionFailedException.class, e -> assertThat(e.current()).isEqualTo(current));
  }

  /** A clock that moves one second on every reading, so successive writes get distinct times. */
  protected static final class SteppingClock extends Clock {
    private final AtomicLong seconds = new AtomicLong(1_700_000_000L);

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.getAndIncrement(), 123_456_000);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
