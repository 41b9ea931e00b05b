package dev.berth.controlplane.providers.app;

import dev.berth.api.app.AppTypes;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.ResourceType.NameRule;
import dev.berth.controlplane.providers.app.internal.AppLogsConfiguration;
import dev.berth.controlplane.providers.app.internal.ContainerAppHooks;
import dev.berth.controlplane.providers.app.internal.EnvironmentHooks;
import dev.berth.controlplane.providers.app.internal.EventStreamRoutes;
import dev.berth.controlplane.providers.app.internal.LogStreamRoute;
import dev.berth.controlplane.providers.app.internal.RevisionHooks;
import dev.berth.controlplane.providers.operationalinsights.Workspaces;
import dev.berth.store.ResourceStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The {@code Microsoft.App} resource provider, ARM side: managed environments and container apps
 * (tracked, long-running) with their revisions and replicas (server-managed children). Stateless;
 * the types it returns are thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/rest/api/containerapps/managed-environments">Managed
 *     Environments REST API</a>
 */
public final class AppProvider {

  /**
   * Every published Microsoft.App api-version from 2022-03-01 on, stable and preview: az core
   * (2023-05-01, 2025-07-01), the az extension (2023-11-02-preview, 2024-02-02-preview), the Java
   * SDK (2025-02-02-preview, 2026-07-01) and the rest of the spec's history. The schemas are
   * additive, so one superset model serves them all.
   */
  public static final List<String> API_VERSIONS =
      List.of(
          "2022-03-01",
          "2022-06-01-preview",
          "2022-10-01",
          "2022-11-01-preview",
          "2023-04-01-preview",
          "2023-05-01",
          "2023-05-02-preview",
          "2023-08-01-preview",
          "2023-11-02-preview",
          "2024-02-02-preview",
          "2024-03-01",
          "2024-08-02-preview",
          "2024-10-02-preview",
          "2025-01-01",
          "2025-02-02-preview",
          "2025-07-01",
          "2025-10-02-preview",
          "2026-03-02-preview",
          "2026-07-01");

  /**
   * ACA's rule for environment names, which also become the first label of {@code defaultDomain}:
   * lower-case letters, digits and single hyphens, starting with a letter, ending with a letter or
   * digit, at most 60 characters.
   */
  public static final NameRule ENVIRONMENT_NAMES =
      NameRule.of(
          "(?!.*--)[a-z]([a-z0-9-]*[a-z0-9])?",
          1,
          60,
          "Invalid ManagedEnvironment name '{name}'. A name must consist of lower case"
              + " alphanumeric characters or '-', start with an alphabetic character, and end with"
              + " an alphanumeric character and cannot have '--'. The length must not be more than"
              + " 60 characters.");

  /**
   * ACA's rule for container app names (az's {@code validate_container_app_name}): 1–32 lower-case
   * letters, digits and single hyphens, starting with a letter and ending with a letter or digit;
   * {@code --} separates the app from the revision suffix.
   */
  public static final NameRule CONTAINER_APP_NAMES =
      NameRule.of(
          "(?=.{1,32}$)[a-z]((?!.*--)[-a-z0-9]*[a-z0-9])?",
          1,
          32,
          "Invalid ContainerApp name '{name}'. A name must consist of lower case alphanumeric"
              + " characters or '-', start with an alphabetic character, and end with an"
              + " alphanumeric character and cannot have '--'. The length must not be more than 32"
              + " characters.");

  /** How long a container app write waits for its new revision to run before it fails. */
  public static final Duration PROVISIONING_TIMEOUT = Duration.ofMinutes(10);

  /**
   * The provisioning timeout when nothing runs revisions ({@code berth up --runtime none}): a write
   * does not wait for its revision, which stays {@code Provisioning}, and succeeds once stored.
   */
  public static final Duration NOTHING_RUNS = Duration.ZERO;

  /** Where the streams are said to be when the server does not say (tests of the ARM side). */
  private static final URI LOCAL = URI.create("https://localhost");

  private AppProvider() {}

  /** A sealer under a key nobody keeps, for wirings that store no workspace keys. */
  private static SecretSealer throwawaySealer() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return SecretSealer.of(key);
  }

  /**
   * The managed environment type, to pass to {@link dev.berth.controlplane.ArmApi}.
   *
   * @param store the store the ARM layer writes (searched for container apps on delete)
   * @param addresses assigns each new environment its static (and outbound) address and takes it
   *     back on delete
   */
  public static List<ResourceType> managedEnvironmentTypes(
      ResourceStore store, OutboundAddresses addresses) {
    return managedEnvironmentTypes(
        store,
        addresses,
        throwawaySealer(),
        LogStreams.NONE,
        LogStreamAccess.of(LOCAL, Clock.systemUTC()));
  }

  /**
   * As {@link #managedEnvironmentTypes(ResourceStore, OutboundAddresses)}, with the environment's
   * event stream and {@code getAuthToken}.
   *
   * @param sealer opens the Log Analytics workspaces' shared keys an environment's logs
   *     configuration must match
   * @param logs where the event stream reads the environment's apps' system events from
   * @param streams the streams' host and tokens, shared with {@link #containerAppTypes}
   */
  public static List<ResourceType> managedEnvironmentTypes(
      ResourceStore store,
      OutboundAddresses addresses,
      SecretSealer sealer,
      LogStreams logs,
      LogStreamAccess streams) {
    ResourceType.Builder environments =
        ResourceType.builder(AppTypes.MANAGED_ENVIRONMENT)
            .apiVersions(API_VERSIONS.toArray(String[]::new))
            .nameRule(ENVIRONMENT_NAMES)
            .longRunning(true)
            .readOnlyProperties(EnvironmentHooks.READ_ONLY.toArray(String[]::new))
            .hooks(
                new EnvironmentHooks(
                    addresses, streams, new AppLogsConfiguration(new Workspaces(sealer))));
    EventStreamRoutes.forEnvironments(store, logs, streams.tokens())
        .forEach(environments::streamRoute);
    return List.of(environments.build());
  }

  /**
   * As the full form, with no logs, the ARM side's own stream host, and nothing to wait for when an
   * app is deleted: what tests of the ARM side need. {@code provisioningTimeout} is short there.
   */
  public static List<ResourceType> containerAppTypes(
      ResourceStore store,
      String tenantId,
      Clock clock,
      Duration provisioningTimeout,
      SecretSealer sealer) {
    return containerAppTypes(store, tenantId, clock, provisioningTimeout, sealer, LogStreams.NONE);
  }

  /** As the five-argument form, with the replicas' logs. */
  public static List<ResourceType> containerAppTypes(
      ResourceStore store,
      String tenantId,
      Clock clock,
      Duration provisioningTimeout,
      SecretSealer sealer,
      LogStreams logs) {
    return containerAppTypes(
        store,
        tenantId,
        clock,
        provisioningTimeout,
        sealer,
        logs,
        LogStreamAccess.of(LOCAL, Clock.systemUTC()),
        AppTeardown.NONE);
  }

  /**
   * The container app types, to pass to {@link dev.berth.controlplane.ArmApi}: {@code
   * containerApps} (tracked, long-running, with its replicas' log-stream route), and the
   * server-managed {@code containerApps/revisions} and {@code containerApps/revisions/replicas}
   * (GET, list and revision actions only).
   *
   * @param store the store the ARM layer writes, which the reconciler reads and answers in
   * @param tenantId the tenant of the apps' system-assigned identities
   * @param clock stamps revisions' {@code createdTime}
   * @param provisioningTimeout how long a write waits for its new revision to run ({@link
   *     #PROVISIONING_TIMEOUT}; {@link #NOTHING_RUNS} when no runtime runs revisions)
   * @param sealer seals the apps' secret values in the store and opens them for {@code listSecrets}
   * @param logs where the log-stream route reads replicas' logs from
   * @param streams the streams' host and tokens ({@code getAuthToken}, the event and log streams az
   *     reads)
   * @param teardown what an app's delete waits on until its replicas have stopped
   */
  public static List<ResourceType> containerAppTypes(
      ResourceStore store,
      String tenantId,
      Clock clock,
      Duration provisioningTimeout,
      SecretSealer sealer,
      LogStreams logs,
      LogStreamAccess streams,
      AppTeardown teardown) {
    String[] versions = API_VERSIONS.toArray(String[]::new);
    ResourceType.Builder apps =
        ResourceType.builder(AppTypes.CONTAINER_APP)
            .apiVersions(versions)
            .nameRule(CONTAINER_APP_NAMES)
            .longRunning(true)
            .readOnlyProperties(ContainerAppHooks.READ_ONLY.toArray(String[]::new))
            .hooks(
                new ContainerAppHooks(
                    store, tenantId, clock, provisioningTimeout, sealer, streams, teardown))
            .route(LogStreamRoute.of(logs))
            .route(LogStreamRoute.events(logs));
    EventStreamRoutes.forApps(store, logs, streams.tokens()).forEach(apps::streamRoute);
    ResourceType revisions =
        ResourceType.builder(AppTypes.REVISION)
            .apiVersions(versions)
            .proxy()
            .serverManaged()
            .hooks(new RevisionHooks(store))
            .build();
    ResourceType replicas =
        ResourceType.builder(AppTypes.REPLICA)
            .apiVersions(versions)
            .proxy()
            .serverManaged()
            .build();
    return List.of(apps.build(), revisions, replicas);
  }
}
