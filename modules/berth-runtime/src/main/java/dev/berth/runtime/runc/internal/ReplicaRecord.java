package dev.berth.runtime.runc.internal;

import java.util.Map;

/**
 * What survives a restart of the runtime about one replica: enough to find its container, network
 * and mounts again and to clean them up.
 *
 * @param containerId the runc container id ({@code prefix-name})
 * @param startedAt ISO-8601 instant of the start
 * @param cgroupsPath the absolute cgroup path, {@code /prefix/name}
 * @param startedUptime seconds since boot at start, to match kernel log lines to this run
 * @param stopGraceMillis how long SIGTERM has before SIGKILL
 */
public record ReplicaRecord(
    String name,
    Map<String, String> labels,
    String containerId,
    String address,
    String netns,
    String veth,
    String cgroupsPath,
    String startedAt,
    double startedUptime,
    long stopGraceMillis) {}
