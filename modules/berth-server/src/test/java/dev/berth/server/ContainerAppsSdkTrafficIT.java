package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.management.Region;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.appcontainers.ContainerAppsApiManager;
import com.azure.resourcemanager.appcontainers.models.ActiveRevisionsMode;
import com.azure.resourcemanager.appcontainers.models.Configuration;
import com.azure.resourcemanager.appcontainers.models.Container;
import com.azure.resourcemanager.appcontainers.models.ContainerApp;
import com.azure.resourcemanager.appcontainers.models.ContainerResources;
import com.azure.resourcemanager.appcontainers.models.HttpScaleRule;
import com.azure.resourcemanager.appcontainers.models.Ingress;
import com.azure.resourcemanager.appcontainers.models.RegistryCredentials;
import com.azure.resourcemanager.appcontainers.models.Revision;
import com.azure.resourcemanager.appcontainers.models.Scale;
import com.azure.resourcemanager.appcontainers.models.ScaleRule;
import com.azure.resourcemanager.appcontainers.models.Secret;
import com.azure.resourcemanager.appcontainers.models.Template;
import com.azure.resourcemanager.appcontainers.models.TrafficWeight;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * azure-resourcemanager-appcontainers' fluent API changes a running app the way a Java program
 * would: ingress on through {@code update()}, Multiple mode, scale bounds with an HTTP rule (a new
 * revision), weights and a label across the two revisions, ingress off; each step is read back
 * through the SDK as Berth stores and computes it ({@code trafficWeight} per revision, {@code
 * latestRevisionFqdn}, scale).
 */
class ContainerAppsSdkTrafficIT {

  @RegisterExtension
  static final RunningBerth BERTH = RunningBerth.withReplicas("10.214.13.0/24", "bsk");

  @Test
  void theSdkTurnsIngressOnSplitsTrafficLabelsScalesAndTurnsIngressOff() throws Exception {
    HttpdImage image = HttpdImage.push(BERTH, "sdk", "sdkacr");
    BootstrapInfo b = BERTH.bootstrap();
    HttpClient http = AzureSdkIT.httpTrusting(BERTH.caFile());
    ContainerAppsApiManager aca =
        ContainerAppsApiManager.configure()
            .withHttpClient(http)
            .withDefaultPollInterval(Duration.ofMillis(500))
            .authenticate(
                AzureSdkIT.ownerCredential(b, http),
                new AzureProfile(b.tenantId(), b.subscriptionId(), AzureSdkIT.berthEnvironment(b)));
    String domain = image.apps().get(image.environment()).at("/properties/defaultDomain").asText();

    ContainerApp app =
        aca.containerApps()
            .define("sdk-web")
            .withRegion(Region.fromName("local"))
            .withExistingResourceGroup("sdk")
            .withEnvironmentId(image.environment())
            .withConfiguration(
                new Configuration()
                    .withSecrets(List.of(new Secret().withName("pw").withValue(image.password())))
                    .withRegistries(
                        List.of(
                            new RegistryCredentials()
                                .withServer(image.loginServer())
                                .withUsername(image.user())
                                .withPasswordSecretRef("pw"))))
            .withTemplate(
                new Template()
                    .withContainers(
                        List.of(
                            new Container()
                                .withName("api")
                                .withImage(image.image())
                                .withResources(
                                    new ContainerResources().withCpu(0.25).withMemory("0.5Gi"))))
                    .withScale(new Scale().withMinReplicas(1).withMaxReplicas(1)))
            .create();
    String first = app.latestRevisionName();
    assertThat(app.latestRevisionFqdn()).as("no ingress, no revision host").isEmpty();

    app.update()
        .withConfiguration(
            app.configuration().withIngress(new Ingress().withExternal(true).withTargetPort(8080)))
        .apply();
    app.refresh();
    assertThat(app.configuration().ingress().fqdn()).isEqualTo("sdk-web." + domain);
    assertThat(app.latestRevisionFqdn()).isEqualTo(first + "." + domain);
    assertThat(app.latestRevisionName()).as("ingress makes no revision").isEqualTo(first);
    var secrets =
        image
            .fx()
            .https
            .send("POST", app.id() + "/listSecrets" + AppFixture.APP_API, image.fx().owner, null);
    assertThat(Https.json(secrets).at("/value/0/value").asText())
        .as("the PATCH carried the secret without its value: the stored one stays")
        .isEqualTo(image.password());

    app.update()
        .withConfiguration(
            app.configuration().withActiveRevisionsMode(ActiveRevisionsMode.MULTIPLE))
        .apply();
    app.update()
        .withTemplate(
            app.template()
                .withScale(
                    new Scale()
                        .withMinReplicas(1)
                        .withMaxReplicas(4)
                        .withRules(
                            List.of(
                                new ScaleRule()
                                    .withName("web")
                                    .withHttp(
                                        new HttpScaleRule()
                                            .withMetadata(Map.of("concurrentRequests", "25")))))))
        .apply();
    app.refresh();
    String second = app.latestRevisionName();
    assertThat(second).isNotEqualTo(first);
    assertThat(app.configuration().activeRevisionsMode()).isEqualTo(ActiveRevisionsMode.MULTIPLE);
    assertThat(app.template().scale().minReplicas()).isEqualTo(1);
    assertThat(app.template().scale().maxReplicas()).isEqualTo(4);
    assertThat(app.template().scale().rules().get(0).http().metadata())
        .containsEntry("concurrentRequests", "25");
    assertThat(app.latestRevisionFqdn()).isEqualTo(second + "." + domain);
    assertThat(weights(aca)).containsEntry(first, 0).containsEntry(second, 100);

    app.update()
        .withConfiguration(
            app.configuration()
                .withIngress(
                    app.configuration()
                        .ingress()
                        .withTraffic(
                            List.of(
                                new TrafficWeight()
                                    .withRevisionName(first)
                                    .withWeight(30)
                                    .withLabel("blue"),
                                new TrafficWeight().withLatestRevision(true).withWeight(70)))))
        .apply();
    app.refresh();
    assertThat(weights(aca)).containsEntry(first, 30).containsEntry(second, 70);
    List<TrafficWeight> traffic = app.configuration().ingress().traffic();
    assertThat(traffic).hasSize(2);
    assertThat(traffic.get(0).revisionName()).isEqualTo(first);
    assertThat(traffic.get(0).label()).isEqualTo("blue");
    assertThat(traffic.get(1).latestRevision()).isTrue();

    // A merge PATCH cannot drop a block the SDK leaves out, so ingress goes off with a PUT.
    app.innerModel().configuration().withIngress(null);
    aca.serviceClient()
        .getContainerApps()
        .createOrUpdate("sdk", "sdk-web", app.innerModel(), com.azure.core.util.Context.NONE);
    app.refresh();
    assertThat(app.configuration().ingress()).isNull();
    assertThat(app.latestRevisionFqdn()).isEmpty();
    assertThat(app.latestRevisionName()).isEqualTo(second);
  }

  private static Map<String, Integer> weights(ContainerAppsApiManager aca) {
    Map<String, Integer> weights = new HashMap<>();
    for (Revision r : aca.containerAppsRevisions().listRevisions("sdk", "sdk-web")) {
      weights.put(r.name(), r.trafficWeight());
    }
    return weights;
  }
}
