package dev.berth.controlplane;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link ArmApi#recoverInterruptedOperations} found a previous process left in flight.
 * Immutable.
 *
 * @param operations operations still {@code InProgress} that a dead process started
 * @param resources resources such a process left {@code InProgress} or {@code Deleting}
 * @param finished completes once every one of them has been resumed or ended
 */
public record RecoveryReport(int operations, int resources, CompletableFuture<Void> finished) {}
