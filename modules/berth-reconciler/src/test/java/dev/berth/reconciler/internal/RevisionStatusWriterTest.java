package dev.berth.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Revision;
import dev.berth.store.Precondition;
import dev.berth.store.memory.InMemoryResourceStore;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class RevisionStatusWriterTest {

  private final InMemoryResourceStore store = new InMemoryResourceStore();
  private final RevisionStatusWriter writer = new RevisionStatusWriter(store, Clock.systemUTC());
  private final ResourceId app =
      ResourceId.parse(
          "/subscriptions/s/resourceGroups/g/providers/Microsoft.App/containerApps/web");
  private final ResourceId first = app.child("revisions", "web--first");
  private final ResourceId second = app.child("revisions", "web--second");

  private ObjectNode appWithLatest(String latest) {
    ObjectNode doc = ObservedStateWrites.JSON.createObjectNode();
    ObjectNode p = doc.putObject("properties");
    p.putObject("configuration").put("activeRevisionsMode", "Single");
    p.put("latestRevisionName", latest);
    return doc;
  }

  private void activeRevision(ResourceId id) {
    ObjectNode doc = ObservedStateWrites.JSON.createObjectNode();
    doc.putObject("properties").put("active", true);
    store.put(id, doc, Precondition.ABSENT);
  }

  private boolean active(ResourceId id) {
    return Revision.of(id, store.get(id).orElseThrow().body()).active();
  }

  @Test
  void theNewestRevisionRunningDeactivatesTheOthers() {
    store.put(app, appWithLatest("web--second"), Precondition.ABSENT);
    activeRevision(first);
    activeRevision(second);

    writer.deactivatePredecessors(ContainerApp.of(app, appWithLatest("web--second")), second);

    assertThat(active(first)).isFalse();
    assertThat(active(second)).isTrue();
  }

  /**
   * The seed's save: AcrPull assigned, the failed first revision heals and runs while the save
   * makes a second one. The worker still holds the app from before the save.
   */
  @Test
  void anOlderRevisionRunningLateLeavesTheNewerOneActive() {
    store.put(app, appWithLatest("web--second"), Precondition.ABSENT);
    activeRevision(first);
    activeRevision(second);

    writer.deactivatePredecessors(ContainerApp.of(app, appWithLatest("web--first")), first);

    assertThat(active(second)).isTrue();
  }
}
