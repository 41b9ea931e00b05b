package dev.berth.reconciler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.ResourceId;
import dev.berth.api.app.Container;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Template;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.identity.ReplicaIdentityTable;
import dev.berth.runtime.ReplicaSpec;
import dev.berth.runtime.ReplicaVolume;
import dev.berth.runtime.image.ImageConfig;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PulledImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A replica's spec is a function of its app, revision, container, image and header. */
class ReplicaSpecsTest {

  static final ResourceId APP =
      ResourceId.parse(
          "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.App/containerApps/web");
  static final ResourceId REVISION = APP.child("revisions", "web--V1");
  static final SecretSealer SEALER = SecretSealer.fromEncoded(SecretSealer.newEncodedKey());
  static final PulledImage IMAGE =
      new PulledImage(
          ImageReference.parse("localhost:5001/api:1"),
          "sha256:" + "a".repeat(64),
          new ImageConfig(List.of(), List.of("httpd"), List.of(), "/", "", List.of()),
          List.of());

  static ContainerApp app(String secretValue) throws Exception {
    return ContainerApp.of(
        APP,
        new ObjectMapper()
            .readTree(
                """
                {"properties":{"configuration":{"secrets":[{"name":"db","value":"%s"}]}}}
                """
                    .formatted(secretValue)));
  }

  static Container container() throws Exception {
    return new Container(
        new ObjectMapper()
            .readTree(
                """
                {"name":"api","image":"localhost:5001/api:1","command":["/bin/app"],"args":["-v"],
                 "resources":{"cpu":0.5,"memory":"1Gi"},
                 "env":[{"name":"MODE","value":"prod"},{"name":"DB","secretRef":"DB"}]}
                """));
  }

  static ReplicaSpec spec(ContainerApp app, Optional<String> endpoint) throws Exception {
    return ReplicaSpecs.of(
        app,
        REVISION,
        "web--v1-aaaaaaaa",
        container(),
        List.of(),
        Duration.ofSeconds(7),
        IMAGE,
        "the-header",
        endpoint,
        Path.of("/logs/web"),
        SEALER);
  }

  @Test
  void aReplicaStartsWithContainerAppsVariablesItsEnvAndItsOpenedSecretsMarkedSecret()
      throws Exception {
    ContainerApp app = app(SEALER.seal("s3cr3t", SecretSlot.appSecret(APP, "db")));

    ReplicaSpec spec = spec(app, Optional.of("http://10.213.0.1:42356/msi/token"));

    assertThat(spec.env())
        .containsEntry("CONTAINER_APP_NAME", "web")
        .containsEntry("CONTAINER_APP_REVISION", "web--V1")
        .containsEntry("CONTAINER_APP_REPLICA_NAME", "web--v1-aaaaaaaa")
        .containsEntry("IDENTITY_ENDPOINT", "http://10.213.0.1:42356/msi/token")
        .containsEntry("IDENTITY_HEADER", "the-header")
        .containsEntry("MODE", "prod")
        .containsEntry("DB", "s3cr3t");
    assertThat(spec.secretEnv()).containsExactlyInAnyOrder("DB", "IDENTITY_HEADER");
    assertThat(spec.labels())
        .containsEntry(ReplicaSpecs.REVISION_LABEL, REVISION.value())
        .containsEntry(ReplicaSpecs.APP_LABEL, APP.value())
        .containsEntry(
            IdentityHeaders.FINGERPRINT_LABEL, ReplicaIdentityTable.fingerprint("the-header"));
    assertThat(spec.labels().values()).doesNotContain("the-header");
    assertThat(spec.command()).containsExactly("/bin/app");
    assertThat(spec.args()).containsExactly("-v");
    assertThat(spec.cpu()).isEqualTo(0.5);
    assertThat(spec.memoryBytes()).isEqualTo(1L << 30);
    assertThat(spec.logFile()).isEqualTo(Path.of("/logs/web/web--v1/web--v1-aaaaaaaa.log"));
    assertThat(spec.stopGrace()).hasSeconds(7);
  }

  @Test
  void anAppWithoutIdentitiesGetsNoIdentityVariablesButItsReplicaIsStillLabelled()
      throws Exception {
    ReplicaSpec spec =
        spec(app(SEALER.seal("s3cr3t", SecretSlot.appSecret(APP, "db"))), Optional.empty());

    assertThat(spec.env()).doesNotContainKeys("IDENTITY_ENDPOINT", "IDENTITY_HEADER");
    assertThat(spec.secretEnv()).containsExactly("DB");
    assertThat(spec.labels()).containsKey(IdentityHeaders.FINGERPRINT_LABEL);
  }

  @Test
  void aSecretThatDoesNotOpenForThisAppFailsTheSpec() throws Exception {
    ResourceId other = ResourceId.parse(APP.value() + "2");
    for (String stored :
        List.of("in-clear", SEALER.seal("s3cr3t", SecretSlot.appSecret(other, "db")))) {
      ContainerApp app = app(stored);
      assertThatThrownBy(() -> spec(app, Optional.empty()))
          .isInstanceOf(SealedValueException.class)
          .hasMessageNotContaining("s3cr3t");
    }
  }

  @Test
  void replicaNamesAreTheRevisionAndEightRandomCharactersWithinRuncsLimit() {
    assertThat(ReplicaSpecs.newName("web--v1")).matches("web--v1-[a-z0-9]{8}");
    assertThat(ReplicaSpecs.newName("r".repeat(80))).hasSize(63);
  }

  @Test
  void aSecretVolumeHoldsTheSecretsItNamesOpenedOrAllOfThemAndAnUnmountedVolumeIsNotMade()
      throws Exception {
    ContainerApp app = app(SEALER.seal("s3cr3t", SecretSlot.appSecret(APP, "db")));
    Container container =
        new Container(
            new ObjectMapper()
                .readTree(
                    """
                    {"name":"api","image":"i","volumeMounts":[
                      {"volumeName":"named","mountPath":"/named"},
                      {"volumeName":"all","mountPath":"/all"},
                      {"volumeName":"scratch","mountPath":"/scratch"},
                      {"volumeName":"scratch","mountPath":"/logs","subPath":"logs"}]}
                    """));
    Template template =
        new Template(
            new ObjectMapper()
                .readTree(
                    """
                    {"volumes":[
                      {"name":"named","storageType":"Secret",
                       "secrets":[{"secretRef":"db","path":"db-password"},
                                  {"secretRef":"db","path":""}]},
                      {"name":"all","storageType":"Secret"},
                      {"name":"scratch","storageType":"EmptyDir"},
                      {"name":"unused","storageType":"EmptyDir"}]}
                    """));

    List<ReplicaVolume> volumes = ReplicaSpecs.volumes(app, container, template.volumes(), SEALER);

    assertThat(volumes)
        .containsExactly(
            ReplicaVolume.secret(
                "named",
                Map.of("db-password", "s3cr3t", "db", "s3cr3t"),
                List.of(new ReplicaVolume.Mount("/named", ""))),
            ReplicaVolume.secret(
                "all", Map.of("db", "s3cr3t"), List.of(new ReplicaVolume.Mount("/all", ""))),
            ReplicaVolume.emptyDir(
                "scratch",
                List.of(
                    new ReplicaVolume.Mount("/scratch", ""),
                    new ReplicaVolume.Mount("/logs", "logs"))));
    assertThat(volumes.get(0).toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aVolumeOfAStorageTypeBerthDoesNotMountFailsTheStartRatherThanPassForIt() throws Exception {
    Container container =
        new Container(
            new ObjectMapper()
                .readTree(
                    "{\"name\":\"api\",\"volumeMounts\":[{\"volumeName\":\"share\",\"mountPath\":\"/d\"}]}"));
    Template template =
        new Template(
            new ObjectMapper()
                .readTree("{\"volumes\":[{\"name\":\"share\",\"storageType\":\"AzureFile\"}]}"));

    assertThatThrownBy(() -> ReplicaSpecs.volumes(app("x"), container, template.volumes(), SEALER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AzureFile");
  }
}
