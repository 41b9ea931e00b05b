package dev.berth.reconciler.internal;

import dev.berth.api.ResourceId;
import dev.berth.api.app.Container;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Template;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.reconciler.ReplicaLabels;
import dev.berth.runtime.ReplicaSpec;
import dev.berth.runtime.ReplicaVolume;
import dev.berth.runtime.image.PulledImage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a replica of a revision starts with, as pure functions of the app, the revision and the
 * pulled image: Container Apps' variables, {@code IDENTITY_ENDPOINT} and its own {@code
 * IDENTITY_HEADER} when the app has identities, the container's env with its secrets opened (and
 * named as secrets, so the runtime keeps them nowhere once the process has them), its volumes, and
 * the labels that find the replica again after a restart; also what replicas are called. Stateless.
 */
final class ReplicaSpecs {

  /** Labels the runtime keeps with each replica, to find it again after a restart. */
  static final String REVISION_LABEL = ReplicaLabels.REVISION;

  static final String APP_LABEL = ReplicaLabels.APP;

  private static final String IDENTITY_ENDPOINT_ENV = "IDENTITY_ENDPOINT";
  private static final String IDENTITY_HEADER_ENV = "IDENTITY_HEADER";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  private ReplicaSpecs() {}

  /**
   * The spec of replica {@code replica} of {@code revision}.
   *
   * @param identityHeader the replica's new {@code IDENTITY_HEADER}; its fingerprint labels the
   *     replica
   * @param identityEndpoint where the replica asks for tokens, when the app has identities to ask
   *     for; no identity variables otherwise
   * @param appDirectory the app's log directory ({@link SystemEvents#appDirectory})
   * @throws dev.berth.api.secrets.SealedValueException when a secret the env names does not open
   */
  static ReplicaSpec of(
      ContainerApp app,
      ResourceId revision,
      String replica,
      Container container,
      List<Template.Volume> volumes,
      Duration grace,
      PulledImage image,
      String identityHeader,
      Optional<String> identityEndpoint,
      Path appDirectory,
      SecretSealer sealer) {
    Map<String, String> env = new LinkedHashMap<>();
    Set<String> secretEnv = new HashSet<>();
    env.put("CONTAINER_APP_NAME", app.name());
    env.put("CONTAINER_APP_REVISION", revision.name());
    env.put("CONTAINER_APP_REPLICA_NAME", replica);
    identityEndpoint.ifPresent(
        endpoint -> {
          env.put(IDENTITY_ENDPOINT_ENV, endpoint);
          env.put(IDENTITY_HEADER_ENV, identityHeader);
          secretEnv.add(IDENTITY_HEADER_ENV);
        });
    for (Container.EnvVar e : container.env()) {
      if (e.secretRef().isPresent()) {
        Optional<String> value = SecretValues.open(app, e.secretRef().get(), sealer);
        value.ifPresent(v -> env.put(e.name(), v));
        if (value.isPresent()) {
          secretEnv.add(e.name());
        }
      } else {
        env.put(e.name(), e.value());
        secretEnv.remove(e.name());
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(REVISION_LABEL, revision.value());
    labels.put(APP_LABEL, app.id().value());
    labels.put(IdentityHeaders.FINGERPRINT_LABEL, ReplicaIdentityTable.fingerprint(identityHeader));
    return new ReplicaSpec(
        replica,
        labels,
        image,
        container.command(),
        container.args(),
        env,
        container.cpu(),
        Quantities.memoryBytes(container.memory()),
        logFile(appDirectory, revision, replica),
        grace,
        secretEnv,
        volumes(app, container, volumes, sealer));
  }

  /**
   * The template's volumes the container mounts, each with its mounts: an {@code EmptyDir} as an
   * empty folder, a {@code Secret} volume with its secrets opened as files (those it names, under
   * their {@code path}; every secret of the app under its name when it names none). A volume no
   * mount names is not made.
   *
   * @throws dev.berth.api.secrets.SealedValueException when a secret does not open
   */
  static List<ReplicaVolume> volumes(
      ContainerApp app, Container container, List<Template.Volume> volumes, SecretSealer sealer) {
    List<ReplicaVolume> out = new ArrayList<>();
    for (Template.Volume v : volumes) {
      List<ReplicaVolume.Mount> mounts =
          container.volumeMounts().stream()
              .filter(m -> m.volumeName().equals(v.name()))
              .map(m -> new ReplicaVolume.Mount(m.mountPath(), m.subPath()))
              .toList();
      if (mounts.isEmpty()) {
        continue;
      }
      if (v.isEmptyDir()) {
        out.add(ReplicaVolume.emptyDir(v.name(), mounts));
        continue;
      }
      if (!v.isSecret()) {
        // Stored before Berth refused them (Azure Files): an empty folder would pass for the share.
        throw new IllegalArgumentException(
            "the volume "
                + v.name()
                + " is of storage type "
                + v.storageType()
                + ", which Berth does not mount; use EmptyDir or Secret");
      }
      Map<String, String> named = new LinkedHashMap<>(v.secrets());
      if (named.isEmpty()) {
        app.secrets().forEach(s -> named.put(s.name(), s.name()));
      }
      Map<String, String> files = new LinkedHashMap<>();
      named.forEach(
          (file, ref) -> SecretValues.open(app, ref, sealer).ifPresent(x -> files.put(file, x)));
      out.add(ReplicaVolume.secret(v.name(), files, mounts));
    }
    return out;
  }

  /** Where a replica's console output goes: {@code <app directory>/<revision>/<replica>.log}. */
  static Path logFile(Path appDirectory, ResourceId revision, String replica) {
    return appDirectory.resolve(revision.name().toLowerCase(Locale.ROOT)).resolve(replica + ".log");
  }

  /**
   * {@code <revision>-<8 random>}, as Container Apps' pod-style names: a valid runc id (at most 63
   * of {@code [a-z0-9-]}); the runtime derives its shorter network names from it.
   */
  static String newName(String revision) {
    String prefix = revision.length() > 54 ? revision.substring(0, 54) : revision;
    StringBuilder b = new StringBuilder(prefix).append('-');
    for (int i = 0; i < 8; i++) {
      b.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
    }
    return b.toString();
  }
}
