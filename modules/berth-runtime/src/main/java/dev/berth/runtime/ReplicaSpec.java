package dev.berth.runtime;

import dev.berth.runtime.image.PulledImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One replica to start: one container of a revision. The runtime combines the image's configuration
 * with the app's: {@code command} replaces the entrypoint and {@code args} the cmd, as Kubernetes
 * and Container Apps do; {@code env} is added to the image's environment.
 *
 * @param name unique among running replicas, a valid runc container id ({@code [a-z0-9-]}, ≤ 63)
 * @param labels what the caller needs to find the replica again after a restart (app id, revision
 *     name); kept by the runtime and returned by {@link ReplicaRuntime#list()}
 * @param command empty = the image's entrypoint
 * @param args empty = the image's cmd (when {@code command} is also empty)
 * @param cpu cores, as {@code resources.cpu} (0.25 … 4); 0 = unlimited
 * @param memoryBytes as {@code resources.memory}; 0 = unlimited
 * @param logFile where the container's stdout and stderr go (appended)
 * @param stopGrace how long SIGTERM has before SIGKILL
 * @param secretEnv names of {@code env} entries whose values are secrets (the app's secrets, its
 *     {@code IDENTITY_HEADER}): the runtime hands them to the process and keeps them nowhere else
 *     once it runs (the runc driver removes them from the bundle's {@code config.json})
 * @param volumes the container's volumes and their mounts
 */
public record ReplicaSpec(
    String name,
    Map<String, String> labels,
    PulledImage image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    double cpu,
    long memoryBytes,
    Path logFile,
    Duration stopGrace,
    Set<String> secretEnv,
    List<ReplicaVolume> volumes) {

  public ReplicaSpec {
    volumes = List.copyOf(volumes);
    labels = Map.copyOf(labels);
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    secretEnv = Set.copyOf(secretEnv);
    if (!env.keySet().containsAll(secretEnv)) {
      throw new IllegalArgumentException("every secret env name must be an env entry");
    }
  }

  /** A replica none of whose env values are secrets, without volumes. */
  public ReplicaSpec(
      String name,
      Map<String, String> labels,
      PulledImage image,
      List<String> command,
      List<String> args,
      Map<String, String> env,
      double cpu,
      long memoryBytes,
      Path logFile,
      Duration stopGrace) {
    this(
        name,
        labels,
        image,
        command,
        args,
        env,
        cpu,
        memoryBytes,
        logFile,
        stopGrace,
        Set.of(),
        List.of());
  }
}
