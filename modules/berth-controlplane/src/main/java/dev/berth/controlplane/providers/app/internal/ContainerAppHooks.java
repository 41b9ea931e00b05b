package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.ManagedEnvironment;
import dev.berth.api.app.Revision;
import dev.berth.api.app.RevisionStatus.ProvisioningState;
import dev.berth.api.app.RevisionStatus.RunningState;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.LinkedResource;
import dev.berth.controlplane.ResourceHooks;
import dev.berth.controlplane.providers.app.AppTeardown;
import dev.berth.controlplane.providers.app.LogStreamAccess;
import dev.berth.store.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container apps ({@code Microsoft.App/containerApps}): checks and completes each write (its
 * environment, identity, configuration and template), makes a revision when the template changes,
 * waits for that revision in the long-running operation, and shows the app with its secret values
 * removed and its ready revision, running status and event-stream endpoint computed on read; {@code
 * getAuthToken} issues its log streams' tokens. Thread-safe.
 */
public final class ContainerAppHooks implements ResourceHooks {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerAppHooks.class);

  /** Properties Berth computes; the ARM layer ignores clients' values. */
  public static final List<String> READ_ONLY =
      List.of(
          "runningStatus",
          "latestRevisionName",
          "latestReadyRevisionName",
          "latestRevisionFqdn",
          "outboundIpAddresses",
          "eventStreamEndpoint",
          "customDomainVerificationId");

  private final AppIdentityBlock identity;
  private final Revisions revisions;
  private final RevisionWait wait;
  private final SecretSealer sealer;
  private final LogStreamAccess streams;
  private final AppTeardown teardown;

  public ContainerAppHooks(
      ResourceStore store,
      String tenantId,
      Clock clock,
      Duration timeout,
      SecretSealer sealer,
      LogStreamAccess streams,
      AppTeardown teardown) {
    this.sealer = sealer;
    this.streams = streams;
    this.teardown = teardown;
    this.identity = new AppIdentityBlock(store, tenantId);
    this.revisions = new Revisions(store, clock);
    this.wait = new RevisionWait(store, timeout);
  }

  @Override
  public ObjectNode prepare(
      ResourceStore tx, ResourceId id, ObjectNode desired, Optional<ObjectNode> current) {
    ObjectNode props = Fields.object(desired, "properties", "properties");
    ManagedEnvironment env = AppEnvironment.apply(tx, id, props, current);
    identity.apply(tx, desired, current);
    AppLinks.checkReferences(desired);
    String domain = env.defaultDomain();
    Set<String> secrets = AppConfiguration.apply(desired, current, id.name(), domain);
    AppSecrets.seal(sealer, id, (ObjectNode) props.get("configuration"), current);
    AppTemplate.apply(props, secrets);
    ObjectNode hidden = Fields.object(desired, "berth", "berth");
    boolean repeated = repeats(desired, current);
    revisions
        .createIfChanged(tx, id, desired, current)
        .or(() -> repeated ? revisions.retryUnsettled(tx, id, desired) : Optional.empty())
        .ifPresentOrElse(
            name -> hidden.put("awaitRevision", name), () -> hidden.remove("awaitRevision"));
    AppTraffic.checkRevisions(tx, id, desired);
    String latest = props.path("latestRevisionName").asText("");
    JsonNode ingress = props.path("configuration").path("ingress");
    // An internal app's names sit under internal.<domain>, its fqdn's (AppConfiguration).
    String under = ingress.path("external").asBoolean(false) ? domain : "internal." + domain;
    props.put(
        "latestRevisionFqdn", ingress.isObject() && !latest.isEmpty() ? latest + "." + under : "");
    props.putArray("outboundIpAddresses").add(env.outboundAddress().orElse(""));
    return desired;
  }

  /**
   * Whether a write repeats the app as stored (template, configuration, identity and tags), which
   * is how ARM clients ask again. A write that changes any of them is a change: the revisions heal
   * from it by themselves when it concerns their pull (docs/reconciler.md, "Healing at once").
   */
  private static boolean repeats(ObjectNode desired, Optional<ObjectNode> current) {
    if (current.isEmpty()) {
      return false;
    }
    JsonNode now = current.get();
    for (String field : List.of("/properties/template", "/properties/configuration")) {
      if (!desired.at(field).equals(now.at(field))) {
        return false;
      }
    }
    return desired.path("identity").equals(now.path("identity"))
        && desired.path("tags").equals(now.path("tags"));
  }

  /** The environment the app joins; its user-assigned identities the ARM layer finds itself. */
  @Override
  public List<LinkedResource> links(ResourceId id, JsonNode doc) {
    return AppLinks.of(doc);
  }

  @Override
  public Optional<ObjectNode> onCreateOrUpdate(ResourceId id, ObjectNode stored) throws Exception {
    Optional<String> revision = ContainerApp.of(id, stored).awaitedRevision();
    if (revision.isPresent()) {
      wait.untilRunning(id, id.child("revisions", revision.get()));
    }
    return Optional.empty();
  }

  /** The app's system identity ends with it (also when its group is deleted). */
  @Override
  public void onDelete(ResourceId id, ObjectNode stored) {
    identity.endSystemIdentity(stored);
  }

  /**
   * The delete ends once the app's replicas have stopped, as in Container Apps: each gets its
   * termination grace, and the wait gives up 30 s after the longest.
   */
  @Override
  public void afterDelete(ResourceId id, ObjectNode stored) throws InterruptedException {
    Duration grace = ContainerApp.of(id, stored).template().terminationGracePeriod();
    if (!teardown.awaitGone(id, grace.plusSeconds(30))) {
      LOG.warn(
          "{} is deleted but some of its replicas still run after {}", id, grace.plusSeconds(30));
    }
  }

  @Override
  public ObjectNode view(ResourceId id, ObjectNode doc) {
    AppSecrets.strip(doc);
    List<Revision> all = revisions.of(id);
    ObjectNode props = Fields.object(doc, "properties", "properties");
    all.stream()
        .filter(Revision::isRunning)
        .findFirst()
        .ifPresent(r -> props.put("latestReadyRevisionName", r.name()));
    props.put("runningStatus", runningStatus(all));
    // Computed on read, so apps made before the streams moved to Berth's own host show it too.
    props.put("eventStreamEndpoint", streams.eventStreamEndpoint(id));
    return doc;
  }

  /**
   * Follows the active revisions: {@code Running} when one runs (healthy or not), {@code
   * Progressing} while one is being provisioned or has failed (the reconciler retries it by itself:
   * the app is on its way, not stopped), {@code Stopped} when none is active.
   */
  static String runningStatus(List<Revision> revisions) {
    List<Revision> active = revisions.stream().filter(Revision::active).toList();
    if (active.stream()
        .anyMatch(
            r ->
                r.provisioningState().equals(Optional.of(ProvisioningState.Provisioned))
                    && (r.runningState().equals(Optional.of(RunningState.Running))
                        || r.runningState().equals(Optional.of(RunningState.Degraded))))) {
      return "Running";
    }
    if (active.stream().anyMatch(r -> r.isProvisioning() || r.hasFailed())) {
      return "Progressing";
    }
    return "Stopped";
  }

  @Override
  public Optional<JsonNode> action(
      String action, ResourceId id, ObjectNode stored, ObjectNode body) {
    if (action.equalsIgnoreCase("listSecrets")) {
      return Optional.of(AppSecrets.list(sealer, id, stored));
    }
    if (action.equalsIgnoreCase("getAuthToken")) {
      return Optional.of(
          AuthTokens.reply(
              streams.tokens(), id, stored, "Microsoft.App/containerApps/accesstoken"));
    }
    return Optional.empty();
  }
}
