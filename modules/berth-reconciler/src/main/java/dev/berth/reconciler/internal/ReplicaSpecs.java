package dev.berth.reconciler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.identity.AppIdentities;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.reconciler.ReconcilerConfig;
import dev.berth.runtime.ReplicaSpec;
import dev.berth.runtime.image.PulledImage;
import dev.berth.store.ResourceStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a replica of a revision starts with: Container Apps' variables, {@code IDENTITY_ENDPOINT}
 * and its own {@code IDENTITY_HEADER} when the app has identities, the container's env with its
 * secrets opened (and named as secrets, so the runtime keeps them nowhere once the process has
 * them), and the labels that find the replica again after a restart. Thread-safe.
 */
final class ReplicaSpecs {

  private static final String IDENTITY_ENDPOINT_ENV = "IDENTITY_ENDPOINT";
  private static final String IDENTITY_HEADER_ENV = "IDENTITY_HEADER";

  private final ResourceStore store;
  private final ReconcilerConfig config;
  private final SystemEvents events;

  ReplicaSpecs(ResourceStore store, ReconcilerConfig config, SystemEvents events) {
    this.store = store;
    this.config = config;
    this.events = events;
  }

  /**
   * @throws dev.berth.api.secrets.SealedValueException when a secret the env names does not open
   */
  ReplicaSpec of(
      AppDocument app,
      ResourceId revision,
      String replica,
      String identityHeader,
      JsonNode container,
      Duration grace,
      PulledImage image) {
    Map<String, String> env = new LinkedHashMap<>();
    Set<String> secretEnv = new HashSet<>();
    env.put("CONTAINER_APP_NAME", app.name());
    env.put("CONTAINER_APP_REVISION", revision.name());
    env.put("CONTAINER_APP_REPLICA_NAME", replica);
    config
        .identityEndpoint()
        .filter(e -> !AppIdentities.of(store).forApp(app.id()).isEmpty())
        .ifPresent(
            endpoint -> {
              env.put(IDENTITY_ENDPOINT_ENV, endpoint);
              env.put(IDENTITY_HEADER_ENV, identityHeader);
              secretEnv.add(IDENTITY_HEADER_ENV);
            });
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (e.hasNonNull("secretRef")) {
        Optional<String> value = app.secret(e.path("secretRef").asText());
        value.ifPresent(v -> env.put(name, v));
        if (value.isPresent()) {
          secretEnv.add(name);
        }
      } else {
        env.put(name, e.path("value").asText(""));
        secretEnv.remove(name);
      }
    }
    JsonNode resources = container.path("resources");
    Map<String, String> labels = new HashMap<>();
    labels.put(RevisionWorker.REVISION_LABEL, revision.value());
    labels.put(RevisionWorker.APP_LABEL, app.id().value());
    labels.put(IdentityHeaders.FINGERPRINT_LABEL, ReplicaIdentityTable.fingerprint(identityHeader));
    return new ReplicaSpec(
        replica,
        labels,
        image,
        strings(container.path("command")),
        strings(container.path("args")),
        env,
        resources.path("cpu").asDouble(0),
        Quantities.memoryBytes(resources.path("memory").asText("")),
        logFile(app, revision, replica),
        grace,
        secretEnv);
  }

  /** Where a replica's console output goes: {@code <logs>/<app>/<revision>/<replica>.log}. */
  Path logFile(AppDocument app, ResourceId revision, String replica) {
    return events
        .appDirectory(app.id())
        .resolve(revision.name().toLowerCase(Locale.ROOT))
        .resolve(replica + ".log");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
