package dev.berth.reconciler;

import dev.berth.runtime.ReplicaRuntime;
import dev.berth.runtime.ReplicaRuntimeStateConformance;
import dev.berth.runtime.ReplicaStatus;
import dev.berth.runtime.image.ImageConfig;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PulledImage;
import java.util.List;

/**
 * The reconciler's {@link FakeRuntime} keeps the books as a real runtime does: it passes {@link
 * ReplicaRuntimeStateConformance}. It runs no process, so the process half of the contract ({@code
 * ReplicaRuntimeConformance}) is not its to pass; and it gives every replica one address on
 * purpose, so that the reconciler's probes reach the test's own server.
 */
class FakeRuntimeTest extends ReplicaRuntimeStateConformance {

  private FakeRuntime last;

  /** A new fake that has what its predecessor left running, as a runtime adopts it. */
  @Override
  protected ReplicaRuntime open() {
    FakeRuntime next = new FakeRuntime();
    if (last != null) {
      last.replicas.values().stream()
          .filter(status -> status.state() == ReplicaStatus.State.RUNNING)
          .forEach(status -> next.replicas.put(status.name(), status));
    }
    last = next;
    return next;
  }

  @Override
  protected PulledImage image() {
    return new PulledImage(
        ImageReference.parse("127.0.0.1:5000/app:v1"),
        "sha256:" + "a".repeat(64),
        new ImageConfig(List.of(), List.of("httpd"), List.of(), "/", "", List.of()),
        List.of());
  }

  @Override
  protected void killBehindTheRuntimesBack(String name) {
    last.exit(name, 137, false);
  }

  @Override
  protected void assertNothingLeftOf(String name) {
    // The fake holds nothing outside the entries list() shows.
  }
}
