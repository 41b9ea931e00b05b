package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.registry.testing.OciLayouts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a run that holds every kind of secret — a container app's secret in its replica's env and
 * in its secret volume (in memory), the registry admin password it pulls with, a repository-scoped
 * token's password, a service principal's secret and the replica's {@code IDENTITY_HEADER} — none
 * of them is readable where another local user or a copy of the database could read it: not in any
 * file of the data directory, not in Berth's log, not on any process's command line, not in a GET
 * reply; every file of the data directory is 0600 and every folder 0700; and the identity header
 * works only from its replica's own address. {@code berth up} runs in its own process, with runc
 * replicas: run under {@code flock /tmp/berth-runc-it.lock}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SecretsIT {

  static final String NETWORK = "10.217.0.0/24";
  static final String GATEWAY = "10.217.0.1";
  static final String PREFIX = "sec";
  static final String DB_SECRET = "db-s3cr3t-" + UUID.randomUUID();
  static final String ARM = "https://management.azure.com/";

  @TempDir Path scratch;
  Path dataDir;
  BerthProcess berth;
  AppFixture apps;
  String appId;

  /** Every secret of the run, by what it is. */
  final Map<String, String> secrets = new LinkedHashMap<>();

  @Test
  void noSecretIsReadableOutsideTheProcessesThatNeedIt() throws Exception {
    Preconditions.requireRootAndTools("runc", "ip", "skopeo", "busybox");
    dataDir = Files.createTempDirectory("berth-secrets-it-");
    berth =
        BerthProcess.start(
            List.of("up", "--data-dir", dataDir.toString(), "--port", "" + BerthProcess.freePort()),
            Map.of(
                "BERTH_RUNTIME", "runc",
                "BERTH_REPLICA_NETWORK", NETWORK,
                "BERTH_REPLICA_PREFIX", PREFIX),
            // Berth's own loggers at DEBUG: a secret must not leak even there.
            List.of("-Ddev.berth.LEVEL=DEBUG"));
    DataDir dir = new DataDir(dataDir);
    BootstrapInfo boot = new Bootstrap(dir).existing().orElseThrow();
    RegistryFixture fx = new RegistryFixture(boot, dir.caCertificate(), scratch);
    apps = new AppFixture(fx);

    String registry = fx.createRegistry("sec", "secacr", "{\"adminUserEnabled\":true}");
    String loginServer = fx.loginServer(registry);
    JsonNode admin = post(fx, registry + "/listCredentials", null);
    secrets.put("admin password", admin.at("/passwords/0/value").asText());
    secrets.put("admin password2", admin.at("/passwords/1/value").asText());
    secrets.put("token password", tokenPassword(fx, registry));
    secrets.put(
        "service principal secret",
        fx.principalWithRole(RegistryFixture.ACR_PULL, registry, null)[1]);
    secrets.put("app secret", DB_SECRET);

    Path layout = scratch.resolve("image");
    OciLayouts.busybox(
        layout,
        "v1",
        List.of(OciLayouts.File.of("www/index.html", "hello\n")),
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"));
    var pushed = fx.push(layout, loginServer, "secacr:" + secrets.get("admin password"), "api:1");
    assertThat(pushed.exit()).as(pushed.output()).isZero();

    String environment = apps.createEnvironment("sec", "env");
    appId = fx.group("sec") + "/providers/Microsoft.App/containerApps/api";
    JsonNode op =
        apps.putApp(appId, appBody(environment, loginServer, secrets.get("admin password")));
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    String revision = apps.revisions(appId).get(0).path("id").asText();
    String replica = apps.replicas(revision).get(0).path("name").asText();

    // The replica got its secrets: they are in its process's environment, in its secret volume
    // (a tmpfs: memory, not disk), and nowhere else.
    long pid = containerPid(replica);
    Map<String, String> env = environmentOf(pid);
    assertThat(env).containsEntry("DB_PASSWORD", DB_SECRET);
    Path inside = Path.of("/proc/" + pid + "/root");
    assertThat(Files.readString(inside.resolve("mnt/creds/db-password"))).isEqualTo(DB_SECRET);
    assertThat(Files.isWritable(inside.resolve("scratch"))).isTrue();
    String volume = dataDir.resolve("runtime/bundles/" + replica + "/secrets/0").toString();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .containsPattern(" " + volume + " .* - tmpfs ");
    String header = env.get("IDENTITY_HEADER");
    assertThat(header).hasSize(43);
    secrets.put("identity header", header);

    identityHeaderWorksOnlyFromItsReplica(replica, header);
    noFileOfTheDataDirectoryHoldsASecret();
    everyFileIs0600AndEveryFolder0700();
    noLogLineHoldsASecret();
    noCommandLineHoldsASecret();
    noGetReplyHoldsASecret(fx, registry, revision);
  }

  static String appBody(String environment, String loginServer, String adminPassword) {
    return """
        {"location":"local","identity":{"type":"SystemAssigned"},
         "properties":{"environmentId":"%s",
           "configuration":{"secrets":[{"name":"db","value":"%s"},{"name":"regpw","value":"%s"}],
             "registries":[{"server":"%s","username":"secacr","passwordSecretRef":"regpw"}]},
           "template":{"terminationGracePeriodSeconds":1,
             "containers":[{"name":"api","image":"%s/api:1",
               "env":[{"name":"DB_PASSWORD","secretRef":"db"},{"name":"MODE","value":"prod"}],
               "volumeMounts":[{"volumeName":"creds","mountPath":"/mnt/creds"},
                               {"volumeName":"scratch","mountPath":"/scratch"}],
               "resources":{"cpu":0.25,"memory":"0.5Gi"}}],
             "volumes":[{"name":"creds","storageType":"Secret",
                         "secrets":[{"secretRef":"db","path":"db-password"}]},
                        {"name":"scratch"}],
             "scale":{"minReplicas":1,"maxReplicas":1}}}}
        """
        .formatted(environment, DB_SECRET, adminPassword, loginServer, loginServer);
  }

  /** A scope map, a token with it, and a generated password1: its value. */
  private static String tokenPassword(RegistryFixture fx, String registry) throws Exception {
    var map =
        fx.https.send(
            "PUT",
            registry + "/scopeMaps/pullapi" + RegistryFixture.REGISTRY_API,
            fx.owner,
            "{\"properties\":{\"actions\":[\"repositories/api/content/read\"]}}");
    assertThat(map.statusCode()).as(map.body()).isIn(200, 201);
    var token =
        fx.https.send(
            "PUT",
            registry + "/tokens/puller" + RegistryFixture.REGISTRY_API,
            fx.owner,
            "{\"properties\":{\"scopeMapId\":\""
                + registry
                + "/scopeMaps/pullapi\",\"status\":\"enabled\"}}");
    assertThat(token.statusCode()).as(token.body()).isIn(200, 201);
    JsonNode generated =
        post(
            fx,
            registry + "/generateCredentials",
            "{\"tokenId\":\"" + registry + "/tokens/puller\",\"name\":\"password1\"}");
    return generated.at("/passwords/0/value").asText();
  }

  private static JsonNode post(RegistryFixture fx, String path, String body) throws Exception {
    var r = fx.https.send("POST", path + RegistryFixture.REGISTRY_API, fx.owner, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Https.json(r);
  }

  /** The host pid of the replica's container process, as runc knows it. */
  private long containerPid(String replica) throws Exception {
    var state =
        RegistryFixture.run(
            List.of(
                "runc",
                "--root",
                dataDir.resolve("runtime/runc").toString(),
                "state",
                PREFIX + "-" + replica));
    assertThat(state.exit()).as(state.output()).isZero();
    return Https.JSON.readTree(state.output()).path("pid").asLong();
  }

  private static Map<String, String> environmentOf(long pid) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
    for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  /**
   * The header gets a token from inside the replica's network namespace (its own address), and a
   * 403 {@code forbidden} from the host: what a local user who read it somewhere would get.
   */
  private void identityHeaderWorksOnlyFromItsReplica(String replica, String header)
      throws Exception {
    String url =
        "http://"
            + GATEWAY
            + ":"
            + Replicas.IDENTITY_PORT
            + "/msi/token?resource="
            + ARM
            + "&api-version=2019-08-01";
    var inside =
        RegistryFixture.run(
            List.of(
                "ip",
                "netns",
                "exec",
                PREFIX + "-" + replica,
                "busybox",
                "wget",
                "-q",
                "-O",
                "-",
                "--header",
                "X-IDENTITY-HEADER: " + header,
                url));
    assertThat(inside.exit()).as(inside.output()).isZero();
    assertThat(Https.JSON.readTree(inside.output()).path("access_token").asText()).isNotEmpty();

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    var fromHost =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("X-IDENTITY-HEADER", header)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(fromHost.statusCode()).as(fromHost.body()).isEqualTo(403);
    assertThat(Https.JSON.readTree(fromHost.body()).path("error").asText()).isEqualTo("forbidden");
    assertThat(fromHost.body()).doesNotContain("access_token");
  }

  /** Neither a secret nor its base64 (or base64url) appears in {@code content}. */
  private void assertHoldsNoSecret(String where, byte[] content) {
    String text = new String(content, StandardCharsets.ISO_8859_1);
    for (var secret : secrets.entrySet()) {
      byte[] b = secret.getValue().getBytes(StandardCharsets.UTF_8);
      for (String form :
          List.of(
              secret.getValue(),
              Base64.getEncoder().withoutPadding().encodeToString(b),
              Base64.getUrlEncoder().withoutPadding().encodeToString(b))) {
        assertThat(text.contains(form))
            .as(
                "%s holds the %s (%s)",
                where, secret.getKey(), form.equals(secret.getValue()) ? "clear" : "base64")
            .isFalse();
      }
    }
  }

  /** Berth's files, the ones containers and runc own aside (PrivateDataDir's rule). */
  private Stream<Path> berthsEntries() throws Exception {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      all = walk.toList();
    }
    return all.stream()
        .filter(
            p -> {
              for (Path at = p; at != null && at.startsWith(dataDir); at = at.getParent()) {
                if (PrivateDataDir.keepsItsModes(dataDir, at)) {
                  return false;
                }
              }
              return true;
            });
  }

  private void noFileOfTheDataDirectoryHoldsASecret() throws Exception {
    assertThat(secrets).hasSize(6);
    List<Path> files =
        berthsEntries().filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    assertThat(files)
        .extracting(p -> dataDir.relativize(p).toString())
        .contains("berth.db", "berth.db-wal", "bootstrap.json", "keys/secrets.key");
    assertThat(files).anyMatch(p -> p.getFileName().toString().equals("config.json"));
    assertThat(files).anyMatch(p -> p.toString().contains("/logs/"));
    for (Path f : files) {
      assertHoldsNoSecret(dataDir.relativize(f).toString(), Files.readAllBytes(f));
    }
  }

  private void everyFileIs0600AndEveryFolder0700() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Path p : berthsEntries().toList()) {
      if (Files.isSymbolicLink(p)) {
        continue;
      }
      String mode =
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
      String wanted = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
      if (!mode.equals(wanted)) {
        wrong.add(dataDir.relativize(p) + " " + mode);
      }
    }
    assertThat(wrong).as("entries of the data directory others may read").isEmpty();
  }

  private void noLogLineHoldsASecret() {
    List<String> output = berth.output();
    assertThat(output).anyMatch(line -> line.contains("DEBUG"));
    assertHoldsNoSecret("Berth's log", String.join("\n", output).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code ps} of every process: Berth's JVM, runc, the replica and everything else. */
  private void noCommandLineHoldsASecret() throws Exception {
    int seen = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          byte[] cmdline = Files.readAllBytes(proc.resolve("cmdline"));
          assertHoldsNoSecret("the command line of pid " + proc.getFileName(), cmdline);
          seen++;
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    assertThat(seen).isGreaterThan(3);
  }

  private void noGetReplyHoldsASecret(RegistryFixture fx, String registry, String revision)
      throws Exception {
    List<String> paths =
        List.of(
            appId + AppFixture.APP_API,
            fx.group("sec") + "/providers/Microsoft.App/containerApps" + AppFixture.APP_API,
            revision + AppFixture.APP_API,
            revision + "/replicas" + AppFixture.APP_API,
            registry + RegistryFixture.REGISTRY_API,
            registry + "/tokens/puller" + RegistryFixture.REGISTRY_API,
            registry + "/tokens" + RegistryFixture.REGISTRY_API,
            "/providers/Berth.Identity/servicePrincipals?api-version=2025-01-01");
    for (String path : paths) {
      var r = fx.https.send("GET", path, fx.owner, null);
      assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
      assertHoldsNoSecret("GET " + path, r.body().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Deletes the app (its replicas stop), stops Berth, and removes what runc or ip left. */
  @AfterEach
  void cleanUp() throws Exception {
    try {
      if (apps != null && appId != null) {
        apps.deleteApp(appId);
      }
    } finally {
      if (berth != null) {
        berth.interrupt(Duration.ofSeconds(60));
      }
      if (dataDir != null) {
        Path runcRoot = dataDir.resolve("runtime/runc");
        if (Files.isDirectory(runcRoot)) {
          var list =
              RegistryFixture.run(List.of("runc", "--root", runcRoot.toString(), "list", "-q"));
          for (String id : list.output().lines().filter(l -> !l.isBlank()).toList()) {
            RegistryFixture.run(
                List.of("runc", "--root", runcRoot.toString(), "delete", "--force", id));
          }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
          String[] fields = line.split(" ");
          if (fields.length > 4 && fields[4].startsWith(dataDir.toString())) {
            RegistryFixture.run(List.of("umount", "-l", fields[4]));
          }
        }
        var netns = RegistryFixture.run(List.of("ip", "netns", "list"));
        for (String line : netns.output().lines().toList()) {
          String name = line.split(" ")[0];
          if (name.startsWith(PREFIX + "-")) {
            RegistryFixture.run(List.of("ip", "netns", "del", name));
          }
        }
        RunningBerth.removeNetworkAndCgroups(PREFIX + "0", PREFIX);
        try (Stream<Path> files = Files.walk(dataDir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
