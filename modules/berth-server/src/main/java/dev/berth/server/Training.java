package dev.berth.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmClient;
import dev.berth.client.RegistryBlobs;
import dev.berth.client.RegistryClient;
import dev.berth.client.Tls;
import dev.berth.client.TokenClient;
import dev.berth.http.Json;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImagePullers;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullListener;
import dev.berth.runtime.image.RegistryCredential;
import dev.berth.server.tls.TlsProvider;
import dev.berth.server.tls.Trust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * What {@code berth train} does against a server it started, so that the JVM records the classes
 * and profiles of a first deploy (JDK 25's start-up cache, {@link TrainCommand}): a service
 * principal's token; a registry made with ARM and an image pushed to it; the image pulled by the
 * image puller as a replica's pull runs (the server's TLS provider, a password, and a managed
 * identity's token exchange); an environment and a container app made with ARM. When the server
 * runs replicas (root, runc, and a static busybox on the machine to build the image from), the app
 * really runs: its replica starts, is probed, answers a request through the ingress, and is
 * deleted. Loopback and the server's own bridge only; everything lives in a throw-away data
 * directory.
 */
final class Training {

  private static final String GROUP_API = "2021-04-01";
  private static final String ACR_API = "2023-07-01";
  private static final String APP_API = "2025-01-01";
  private static final Duration OPERATION_DEADLINE = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(5);
  private static final Consumer<String> QUIET = line -> {};
  private static final RegistryBlobs.Progress NO_PROGRESS = (done, total) -> {};
  private static final int PT_INTERP = 3; // an ELF program header naming the dynamic linker
  private static final short EM_X86_64 = 62;

  private final BootstrapInfo info;
  private final TlsProvider tls;
  private final Path workDir;
  private final Optional<Path> busybox;
  private final int ingressHttpPort;
  private final HttpClient http;
  private String token;
  private ArmClient arm;

  /**
   * @param workDir where the image to push is written and pulled to
   * @param busybox the static busybox the app's image is built from when the server runs replicas;
   *     empty: the server runs none, and the image is one no replica could run
   * @param ingressHttpPort the apps' plain-HTTP ingress port, where the running app is called
   */
  Training(
      BootstrapInfo info,
      TlsProvider tls,
      Path workDir,
      Optional<Path> busybox,
      int ingressHttpPort) {
    this.info = info;
    this.tls = tls;
    this.workDir = workDir;
    this.busybox = busybox;
    this.ingressHttpPort = ingressHttpPort;
    this.http = Tls.httpClient(Optional.of(Path.of(info.caFile())));
  }

  /**
   * Runs every step, through the clients the CLI uses ({@code berth-client}). A step that does not
   * get the answer it expects throws (the clients' own exceptions, {@link IOException}, {@link
   * PullException}): the training then fails, and the launcher starts Berth without a cache.
   */
  void run() throws IOException, PullException {
    token =
        TokenClient.create(http, Clock.systemUTC(), QUIET)
            .clientCredentials(
                URI.create(info.authority()),
                info.tenantId(),
                info.clientId(),
                info.clientSecret(),
                TokenClient.managementScope(URI.create(info.managementEndpoint())))
            .token();
    arm =
        ArmClient.create(
            http,
            URI.create(info.managementEndpoint()),
            () -> token,
            QUIET,
            wait -> Thread.sleep(POLL.toMillis()));
    arm.get("subscriptions?api-version=2022-12-01");
    String group = "subscriptions/" + info.subscriptionId() + "/resourceGroups/train";
    arm.put(group + "?api-version=" + GROUP_API, Json.object().put("location", "local"));

    String acr = group + "/providers/Microsoft.ContainerRegistry/registries/trainacr";
    ObjectNode registry = Json.object().put("location", "local");
    registry.putObject("sku").put("name", "Premium");
    registry.putObject("properties").put("adminUserEnabled", true);
    String server =
        arm.put(acr + "?api-version=" + ACR_API, registry)
            .path("properties")
            .path("loginServer")
            .asText();
    JsonNode creds = arm.post(acr + "/listCredentials?api-version=" + ACR_API, null);
    String user = creds.path("username").asText();
    String password = creds.path("passwords").path(0).path("value").asText();

    String image = server + "/train:v1";
    push(server, "train", "v1");
    pull(image, new RegistryCredential.Basic(user, password));
    pull(image, new RegistryCredential.ManagedIdentity("train", () -> token));

    String env = group + "/providers/Microsoft.App/managedEnvironments/env";
    ObjectNode environment = Json.object().put("location", "local");
    environment
        .putObject("properties")
        .putArray("workloadProfiles")
        .addObject()
        .put("name", "Consumption")
        .put("workloadProfileType", "Consumption");
    arm.put(env + "?api-version=" + APP_API, environment);
    String app = group + "/providers/Microsoft.App/containerApps/app";
    JsonNode running =
        arm.put(app + "?api-version=" + APP_API, containerApp(env, server, image, user, password));
    arm.get(app + "/revisions?api-version=" + APP_API);
    if (busybox.isPresent()) {
      callThroughIngress(running.path("properties").path("configuration").path("ingress"));
      arm.delete(app + "?api-version=" + APP_API, true);
    }
  }

  /** One request to the running app at its name, on the ingress' plain-HTTP port. */
  private void callThroughIngress(JsonNode ingress) throws IOException {
    String host = ingress.path("fqdn").asText();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), ingressHttpPort)) {
      socket.setSoTimeout((int) OPERATION_DEADLINE.toMillis());
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!answer.startsWith("HTTP/1.1 200")) {
        throw new IOException("the app at " + host + " answered: " + answer.lines().findFirst());
      }
    }
  }

  private static ObjectNode containerApp(
      String env, String server, String image, String user, String password) {
    ObjectNode app = Json.object().put("location", "local");
    ObjectNode properties = app.putObject("properties").put("environmentId", "/" + env);
    ObjectNode configuration = properties.putObject("configuration");
    configuration.putArray("secrets").addObject().put("name", "pw").put("value", password);
    configuration
        .putArray("registries")
        .addObject()
        .put("server", server)
        .put("username", user)
        .put("passwordSecretRef", "pw");
    configuration
        .putObject("ingress")
        .put("external", true)
        .put("targetPort", 8080)
        .put("allowInsecure", true);
    ObjectNode template = properties.putObject("template").put("terminationGracePeriodSeconds", 1);
    template
        .putArray("containers")
        .addObject()
        .put("name", "web")
        .put("image", image)
        .putObject("resources")
        .put("cpu", 0.25)
        .put("memory", "0.5Gi");
    template.putObject("scale").put("minReplicas", 1).put("maxReplicas", 1);
    return app;
  }

  // ---- the registry ------------------------------------------------------------------------

  /**
   * Pushes a one-layer image as a client does, with the service principal's token exchanged for an
   * ACR refresh token: blob uploads, then the manifest.
   */
  private void push(String server, String repository, String tag) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve("push"));
    byte[] tar = layerTar(busybox);
    String diffId = RegistryBlobs.digest(Files.write(dir.resolve("layer.tar"), tar));
    Path layer = Files.write(dir.resolve("layer.tar.gz"), gzip(tar));
    String config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],"
            + "\"Cmd\":[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"],\"WorkingDir\":\"/\"},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
            + diffId
            + "\"]}}";
    Path configFile = Files.writeString(dir.resolve("config.json"), config);
    RegistryClient anonymous = RegistryClient.create(http, server, QUIET);
    String refresh = anonymous.exchange(anonymous.challenge(), info.tenantId(), token);
    RegistryClient registry = anonymous.withRefreshToken(refresh);
    RegistryBlobs.Blob layerBlob = registry.blobs().push(repository, layer, NO_PROGRESS);
    RegistryBlobs.Blob configBlob = registry.blobs().push(repository, configFile, NO_PROGRESS);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + configBlob.digest()
            + "\",\"size\":"
            + configBlob.size()
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\""
            + layerBlob.digest()
            + "\",\"size\":"
            + layerBlob.size()
            + "}]}";
    registry.putManifest(
        repository,
        tag,
        "application/vnd.oci.image.manifest.v1+json",
        manifest.getBytes(StandardCharsets.UTF_8));
  }

  /** Pulls {@code image} into the training's cache with the puller a replica's pull uses. */
  private void pull(String image, RegistryCredential credential) throws IOException, PullException {
    try {
      TrustManagerFactory trust = Trust.caAndSystemManagers(Path.of(info.caFile()));
      try (ImagePuller puller =
          ImagePullers.create(
              workDir.resolve("images-" + credential.getClass().getSimpleName()),
              Trust.context(trust),
              Set.of(),
              tls.clientTls(trust))) {
        puller.pull(ImageReference.parse(image), credential, Optional.empty(), PullListener.NONE);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read Berth's CA: " + e.getMessage(), e);
    }
  }

  /**
   * A layer like an image's: directories, small pages, links, and {@code busybox} as {@code
   * /bin/busybox} (else 512 KiB of noise in its place) with {@code httpd} and {@code sh} linked to
   * it.
   */
  private static byte[] layerTar(Optional<Path> busybox) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (String dir : new String[] {"bin/", "tmp/", "www/"}) {
        TarArchiveEntry entry = new TarArchiveEntry(dir);
        entry.setMode(dir.equals("tmp/") ? 01777 : 0755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
      byte[] binary;
      if (busybox.isPresent()) {
        binary = Files.readAllBytes(busybox.get());
      } else {
        binary = new byte[512 * 1024];
        new Random(1).nextBytes(binary);
      }
      file(tar, "bin/busybox", binary, 0755);
      for (String applet : new String[] {"httpd", "sh"}) {
        TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("busybox");
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      }
      file(tar, "www/index.html", "<p>trained</p>\n".getBytes(StandardCharsets.UTF_8), 0644);
      for (int i = 0; i < 8; i++) {
        byte[] page = ("<p>" + i + "</p>\n").getBytes(StandardCharsets.UTF_8);
        file(tar, "www/page" + i + ".html", page, 0644);
      }
    }
    return out.toByteArray();
  }

  /**
   * {@code /bin/busybox} if it is a static executable (Debian's busybox-static): an image built
   * from it runs with nothing else in it. A dynamically linked one would not.
   */
  static Optional<Path> staticBusybox() {
    return staticExecutable(Path.of("/bin/busybox"));
  }

  /** {@code file} if it is an executable, statically linked x86-64 ELF file. */
  static Optional<Path> staticExecutable(Path file) {
    if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(header, 0);
      // ELF, 64-bit, little-endian, x86-64 (the image says amd64); then every program header,
      // looking for an interpreter.
      if (header.getInt(0) != 0x464c457f
          || header.get(4) != 2
          || header.get(5) != 1
          || header.getShort(0x12) != EM_X86_64) {
        return Optional.empty();
      }
      long tableAt = header.getLong(0x20);
      int entrySize = Short.toUnsignedInt(header.getShort(0x36));
      int entries = Short.toUnsignedInt(header.getShort(0x38));
      ByteBuffer type = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < entries; i++) {
        type.clear();
        channel.read(type, tableAt + (long) i * entrySize);
        if (type.getInt(0) == PT_INTERP) {
          return Optional.empty();
        }
      }
      return Optional.of(file);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    entry.setMode(mode);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
