package dev.berth.runtime.runc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecTest {

  private static JsonNode spec(double cpu, long memory) {
    return OciSpec.build(inputs(cpu, memory, List.of(), java.util.Map.of()));
  }

  @Test
  void secretEnvEntriesAreTakenOutOfTheConfigOnceTheContainerRuns(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("config.json");
    JsonNode built =
        OciSpec.build(
            new OciSpec.Inputs(
                "r1",
                new ProcessPlan(
                    List.of("sh"),
                    List.of(
                        "PATH=/bin", "DB_PASSWORD=hunter2=x", "IDENTITY_HEADER=abc", "MODE=prod"),
                    "/"),
                new UserLookup.Ids(0, 0),
                Path.of("/s/bundles/r1/rootfs"),
                Path.of("/s/bundles/r1"),
                "/run/netns/p-r1",
                "/p/r1",
                0,
                0));
    Files.writeString(config, OciSpec.toJson((ObjectNode) built));

    OciSpec.removeSecretEnv(config, Set.of("DB_PASSWORD", "IDENTITY_HEADER"));

    String text = Files.readString(config);
    assertThat(text).doesNotContain("hunter2").doesNotContain("abc\"");
    JsonNode after = new ObjectMapper().readTree(text);
    assertThat(after.at("/process/env").toString()).isEqualTo("[\"PATH=/bin\",\"MODE=prod\"]");
    assertThat(after.at("/annotations/dev.berth.secret-env-removed").asText())
        .isEqualTo("DB_PASSWORD,IDENTITY_HEADER");
    assertThat(after.at("/process/args")).isEqualTo(built.at("/process/args"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");

    // Nothing secret: the file is left as it is; a file already removed is no error.
    OciSpec.removeSecretEnv(config, Set.of());
    OciSpec.removeSecretEnv(dir.resolve("gone.json"), Set.of("X"));
  }

  @Test
  void limitsBecomeCgroupResources() {
    JsonNode resources = spec(0.25, 64L << 20).at("/linux/resources");
    assertThat(resources.at("/memory/limit").asLong()).isEqualTo(64L << 20);
    assertThat(resources.at("/memory/swap").asLong()).isEqualTo(64L << 20);
    assertThat(resources.at("/cpu/quota").asLong()).isEqualTo(25_000);
    assertThat(resources.at("/cpu/period").asLong()).isEqualTo(100_000);
  }

  @Test
  void noLimitsMeansNoResourceEntries() {
    JsonNode resources = spec(0, 0).at("/linux/resources");
    assertThat(resources.has("memory")).isFalse();
    assertThat(resources.has("cpu")).isFalse();
  }

  @Test
  void theReplicaJoinsItsNetnsAndCgroupAndRunsAsItsUser() {
    JsonNode spec = spec(0, 0);
    assertThat(spec.at("/linux/cgroupsPath").asText()).isEqualTo("/p/r1");
    assertThat(spec.at("/linux/namespaces").findValuesAsText("path"))
        .containsExactly("/run/netns/p-r1");
    assertThat(spec.at("/process/user/uid").asLong()).isEqualTo(5);
    assertThat(spec.at("/process/terminal").asBoolean()).isFalse();
    assertThat(spec.at("/mounts").findValuesAsText("destination"))
        .contains("/proc", "/dev", "/sys", "/etc/hosts", "/etc/resolv.conf");
  }

  @Test
  void anOverflowingAcceptQueueResetsRatherThanStallsTheIngress() {
    JsonNode sysctl = spec(0, 0).at("/linux/sysctl");
    assertThat(sysctl.path("net.ipv4.tcp_abort_on_overflow").asText()).isEqualTo("1");
    assertThat(sysctl.path("net.ipv4.tcp_syncookies").asText()).isEqualTo("0");
  }

  @Test
  void rlimitsStayWithinWhatRuncMaySetWithoutCapSysResource() {
    for (JsonNode rlimit : spec(0, 0).at("/process/rlimits")) {
      long max = rlimit.get("type").asText().equals("RLIMIT_NOFILE") ? 20000 : 32768;
      assertThat(rlimit.get("hard").asLong()).isPositive().isLessThanOrEqualTo(max);
    }
  }

  @Test
  void theHostsExtraFilesAreBoundReadOnlyFromTheBundle() {
    JsonNode built =
        OciSpec.build(
            withExtras(
                List.of("/etc/containers/certs.d/a:1/ca.crt", "/etc/docker/certs.d/a:1/ca.crt"),
                java.util.Map.of()));
    JsonNode mounts = built.path("mounts");
    JsonNode last = mounts.get(mounts.size() - 1);
    JsonNode before = mounts.get(mounts.size() - 2);
    assertThat(before.path("destination").asText()).isEqualTo("/etc/containers/certs.d/a:1/ca.crt");
    assertThat(before.path("source").asText()).isEqualTo("/s/bundles/r1/files/0");
    assertThat(last.path("destination").asText()).isEqualTo("/etc/docker/certs.d/a:1/ca.crt");
    assertThat(last.path("source").asText()).isEqualTo("/s/bundles/r1/files/1");
    assertThat(last.path("type").asText()).isEqualTo("bind");
    assertThat(last.path("options").toString()).contains("\"bind\"", "\"ro\"");
  }

  @Test
  void theHostsDirectoriesAreBoundReadOnlyAsTheyAre() {
    JsonNode built =
        OciSpec.build(
            withExtras(
                List.of(),
                java.util.Map.of("/etc/containers/certs.d", Path.of("/data/certs/containers"))));
    JsonNode mounts = built.path("mounts");
    JsonNode last = mounts.get(mounts.size() - 1);
    assertThat(last.path("destination").asText()).isEqualTo("/etc/containers/certs.d");
    assertThat(last.path("source").asText()).isEqualTo("/data/certs/containers");
    assertThat(last.path("type").asText()).isEqualTo("bind");
    assertThat(last.path("options").toString()).contains("\"rbind\"", "\"ro\"");
  }

  @Test
  void volumesComeLastAFolderBeforeWhatIsMountedInsideItSecretsReadOnly() {
    OciSpec.Inputs base = withExtras(List.of(), java.util.Map.of());
    JsonNode built =
        OciSpec.build(
            new OciSpec.Inputs(
                base.hostname(),
                base.process(),
                base.user(),
                base.rootfs(),
                base.bundle(),
                base.netnsPath(),
                base.cgroupsPath(),
                0,
                0,
                List.of(),
                java.util.Map.of(),
                List.of(
                    new OciSpec.Bind("/data/logs", Path.of("/s/bundles/r1/volumes/0/logs"), false),
                    new OciSpec.Bind("/mnt/creds", Path.of("/s/bundles/r1/secrets/1"), true),
                    new OciSpec.Bind("/data", Path.of("/s/bundles/r1/volumes/0"), false))));
    JsonNode mounts = built.path("mounts");
    int n = mounts.size();
    assertThat(mounts.get(n - 3).path("destination").asText()).isEqualTo("/data");
    assertThat(mounts.get(n - 2).path("destination").asText()).isEqualTo("/data/logs");
    assertThat(mounts.get(n - 2).path("options").toString()).doesNotContain("\"ro\"");
    JsonNode secret = mounts.get(n - 1);
    assertThat(secret.path("source").asText()).isEqualTo("/s/bundles/r1/secrets/1");
    assertThat(secret.path("options").toString()).contains("\"rbind\"", "\"ro\"", "\"noexec\"");
  }

  /** Replica r1 with the host's {@code files} and {@code directories}. */
  private static OciSpec.Inputs withExtras(
      List<String> files, java.util.Map<String, Path> directories) {
    return inputs(0, 0, files, directories);
  }

  private static OciSpec.Inputs inputs(
      double cpu, long memory, List<String> files, java.util.Map<String, Path> directories) {
    return new OciSpec.Inputs(
        "r1",
        new ProcessPlan(List.of("sh"), List.of("PATH=/bin"), "/"),
        new UserLookup.Ids(5, 6),
        Path.of("/s/bundles/r1/rootfs"),
        Path.of("/s/bundles/r1"),
        "/run/netns/p-r1",
        "/p/r1",
        cpu,
        memory,
        files,
        directories,
        List.of());
  }
}
