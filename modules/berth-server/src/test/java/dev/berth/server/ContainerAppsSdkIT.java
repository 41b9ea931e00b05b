package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.management.Region;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.appcontainers.ContainerAppsApiManager;
import com.azure.resourcemanager.appcontainers.models.Configuration;
import com.azure.resourcemanager.appcontainers.models.Container;
import com.azure.resourcemanager.appcontainers.models.ContainerApp;
import com.azure.resourcemanager.appcontainers.models.ContainerResources;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.ManagedEnvironment;
import com.azure.resourcemanager.appcontainers.models.ManagedServiceIdentity;
import com.azure.resourcemanager.appcontainers.models.ManagedServiceIdentityType;
import com.azure.resourcemanager.appcontainers.models.RegistryCredentials;
import com.azure.resourcemanager.appcontainers.models.Revision;
import com.azure.resourcemanager.appcontainers.models.RevisionRunningState;
import com.azure.resourcemanager.appcontainers.models.Scale;
import com.azure.resourcemanager.appcontainers.models.Template;
import com.azure.resourcemanager.appcontainers.models.UserAssignedIdentity;
import com.azure.resourcemanager.msi.MsiManager;
import com.azure.resourcemanager.msi.models.Identity;
import dev.berth.registry.testing.OciLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Azure SDK for Java drives the story: azure-resourcemanager-msi creates the pull identity,
 * azure-resourcemanager-appcontainers creates the environment and an app whose registry entry names
 * that identity, waits on the long-running create as it does against Azure, and reads the revision
 * back, running.
 */
class ContainerAppsSdkIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.2.0/24", "bsd");

  @Test
  void theSdkCreatesAnIdentityAnEnvironmentAndAnAppThatPullsWithIt() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo");
    RegistryFixture fx = new RegistryFixture(BERTH);
    AppFixture apps = new AppFixture(fx);
    String registry = fx.createRegistry("sdk", "sdkacr", "{\"adminUserEnabled\":true}");
    String server = fx.loginServer(registry);
    Path layout = Files.createTempDirectory(BERTH.dataDir(), "image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "from the sdk\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    assertThat(fx.push(layout, server, "sdkacr:" + fx.adminPassword(registry), "api:latest").exit())
        .isZero();

    BootstrapInfo b = BERTH.bootstrap();
    HttpClient http = AzureSdkIT.httpTrusting(BERTH.caFile());
    TokenCredential credential = AzureSdkIT.ownerCredential(b, http);
    AzureProfile profile =
        new AzureProfile(b.tenantId(), b.subscriptionId(), AzureSdkIT.berthEnvironment(b));
    Region local = Region.fromName("local");

    Identity pullId =
        MsiManager.configure()
            .withHttpClient(http)
            .authenticate(credential, profile)
            .identities()
            .define("sdk-pull")
            .withRegion(local)
            .withExistingResourceGroup("sdk")
            .create();
    assertThat(pullId.principalId()).isNotBlank();
    apps.assignRole(pullId.principalId(), RegistryFixture.ACR_PULL, registry);

    ContainerAppsApiManager aca =
        ContainerAppsApiManager.configure()
            .withHttpClient(http)
            .withDefaultPollInterval(Duration.ofMillis(500))
            .authenticate(credential, profile);
    ManagedEnvironment env =
        aca.managedEnvironments()
            .define("sdk-env")
            .withRegion(local)
            .withExistingResourceGroup("sdk")
            .create();
    ContainerApp app =
        aca.containerApps()
            .define("sdk-api")
            .withRegion(local)
            .withExistingResourceGroup("sdk")
            .withIdentity(
                new ManagedServiceIdentity()
                    .withType(ManagedServiceIdentityType.USER_ASSIGNED)
                    .withUserAssignedIdentities(Map.of(pullId.id(), new UserAssignedIdentity())))
            .withManagedEnvironmentId(env.id())
            .withConfiguration(
                new Configuration()
                    .withRegistries(
                        List.of(
                            new RegistryCredentials().withServer(server).withIdentity(pullId.id())))
                    .withIngress(new Ingress().withExternal(true).withTargetPort(8080)))
            .withTemplate(
                new Template()
                    .withContainers(
                        List.of(
                            new Container()
                                .withName("api")
                                .withImage(server + "/api:latest")
                                .withResources(
                                    new ContainerResources().withCpu(0.25).withMemory("0.5Gi"))))
                    .withScale(new Scale().withMinReplicas(1).withMaxReplicas(1)))
            .create();

    assertThat(app.provisioningState().toString()).isEqualTo("Succeeded");
    assertThat(app.identity().userAssignedIdentities().values().iterator().next().principalId())
        .hasToString(pullId.principalId());
    List<Revision> revisions =
        aca.containerAppsRevisions().listRevisions("sdk", "sdk-api").stream().toList();
    assertThat(revisions).hasSize(1);
    assertThat(revisions.get(0).runningState()).isEqualTo(RevisionRunningState.RUNNING);
    assertThat(revisions.get(0).name()).isEqualTo(app.latestRevisionName());

    aca.containerApps().deleteByResourceGroup("sdk", "sdk-api");
    await().atMost(Duration.ofSeconds(30)).until(() -> BERTH.server().replicaCount() == 0);
  }
}
