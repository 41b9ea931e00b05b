/**
 * The replica runtime SPI: {@code ReplicaRuntime} starts, lists and stops replicas ({@code
 * ReplicaSpec} in, {@code ReplicaStatus} out, {@code RuntimeFailure} when it cannot), and keeps
 * them across restarts of Berth so that a new runtime adopts them. The one driver is runc ({@code
 * dev.berth.runtime.runc}); with {@code --runtime none} nothing runs replicas; other drivers
 * (Kubernetes) are planned and would pass the same conformance suite. The reconciler drives it; the
 * server picks and builds the driver (docs/runtime-runc.md).
 */
package dev.berth.runtime;
