package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth acr import}: gets an image into a registry with Berth alone. From another registry
 * ({@code host[:port]/repo[:tag|@digest]}) it asks the registry to copy it, ACR's {@code
 * importImage} as {@code az acr import} sends it; from an OCI image layout directory ({@code DIR}
 * or {@code DIR:TAG}) or a {@code docker save} archive it pushes blobs and manifests over the
 * registry's data plane, as {@code docker push} would (a tag that exists moves). Not thread-safe.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import an image into a registry: from another registry, an OCI layout directory or a"
            + " docker-archive (docker save) file.")
final class AcrImportCommand extends AcrBase {

  @Mixin ByName registry = new ByName();

  @Option(
      names = "--source",
      required = true,
      paramLabel = "SOURCE",
      description =
          "host[:port]/repository[:tag|@digest], an OCI layout directory (DIR or DIR:TAG) or a"
              + " docker-archive file.")
  String source;

  @Option(
      names = {"-t", "--image"},
      paramLabel = "REPOSITORY:TAG",
      description = "Target tag(s) (default: the source's own repository and tag).")
  List<String> images = new ArrayList<>();

  @Option(
      names = "--repository",
      paramLabel = "REPOSITORY",
      description = "Target repository to import into without a tag.")
  List<String> repositories = new ArrayList<>();

  @Option(
      names = {"-u", "--username"},
      description = "The source registry's user name.")
  String username;

  @Option(
      names = {"-p", "--password"},
      description = "The source registry's password, @FILE or @- to read it from a file or stdin.")
  String password;

  @Option(names = "--force", description = "Overwrite target tags that exist (registry sources).")
  boolean force;

  AcrImportCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    Optional<Path> layout = layoutDirectory();
    Path file = Path.of(source);
    if (layout.isPresent()) {
      int colon = source.lastIndexOf(':');
      Optional<String> tag =
          Files.isDirectory(file) ? Optional.empty() : Optional.of(source.substring(colon + 1));
      return push(LocalImage.fromLayout(layout.get(), tag));
    }
    if (Files.isRegularFile(file)) {
      Path work = null;
      try {
        work = Files.createTempDirectory("berth-import");
        return push(DockerArchives.read(file, work));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        deleteTree(work);
      }
    }
    return fromRegistry();
  }

  /** {@code DIR} or {@code DIR:TAG} when DIR is a directory. */
  private Optional<Path> layoutDirectory() {
    if (Files.isDirectory(Path.of(source))) {
      return Optional.of(Path.of(source));
    }
    int colon = source.lastIndexOf(':');
    if (colon > 0 && Files.isDirectory(Path.of(source.substring(0, colon)))) {
      return Optional.of(Path.of(source.substring(0, colon)));
    }
    return Optional.empty();
  }

  /** {@code POST {registry}/importImage}, waiting for the operation. */
  private int fromRegistry() {
    int slash = source.indexOf('/');
    if (slash <= 0) {
      throw new CliFailure(
          "'" + source + "' is no file, no directory and no registry image (host/repository:tag).");
    }
    String uri = source.substring(0, slash);
    String image = source.substring(slash + 1);
    Session session = session();
    ObjectNode body = JSON.createObjectNode();
    ObjectNode src = body.putObject("source");
    // As az does without a login: a source on one of the subscription's registries is named by its
    // id, and read in place with the caller's right to pull from it; else by its address.
    Optional<String> berthSource =
        password == null ? sourceRegistryId(session, uri) : Optional.empty();
    if (berthSource.isPresent()) {
      src.put("resourceId", berthSource.get());
    } else {
      src.put("registryUri", uri);
    }
    src.put("sourceImage", image);
    if (password != null) {
      src.putObject("credentials")
          .put("username", username == null ? "" : username)
          .put("password", new SecretArguments(env.stdin()).resolve(password, "--password"));
    }
    List<String> tags = new ArrayList<>(images);
    if (tags.isEmpty() && repositories.isEmpty()) {
      int at = image.indexOf('@');
      tags.add(at > 0 ? image.substring(0, at) : image);
    }
    tags.forEach(body.putArray("targetTags")::add);
    repositories.forEach(body.putArray("untaggedTargetRepositories")::add);
    body.put("mode", force ? "Force" : "NoForce");
    String id = registryId(session, registry);
    session.arm().post(at(id, "importImage"), body);
    for (String tag : tags) {
      out().println("Imported " + source + " as " + qualified(tag));
    }
    return 0;
  }

  /** The id of the subscription's registry whose login server is {@code loginServer}, if any. */
  private Optional<String> sourceRegistryId(Session session, String loginServer) {
    ArrayNode registries =
        session.arm().list(subscriptionPath(session) + "/providers/" + TYPE + "?" + API_VERSION);
    for (JsonNode r : registries) {
      if (r.at("/properties/loginServer").asText().equalsIgnoreCase(loginServer)) {
        return Optional.of(r.path("id").asText());
      }
    }
    return Optional.empty();
  }

  private int push(LocalImage image) {
    List<String> tags = new ArrayList<>(images);
    if (tags.isEmpty() && repositories.isEmpty()) {
      tags.add(
          image
              .name()
              .map(n -> n.contains(":") ? n : n + ":latest")
              .orElseThrow(
                  () -> new CliFailure("The source names no image: give --image REPOSITORY:TAG.")));
    }
    Session session = session();
    RegistryClient client =
        RegistryLogin.login(session, registry.name, registry(session, registry), false).client();
    List<String[]> targets = new ArrayList<>();
    tags.forEach(t -> targets.add(split(t)));
    repositories.forEach(r -> targets.add(new String[] {r, null}));
    for (String[] target : targets) {
      String repo = AcrRepositoryCommand.DataPlaneBase.path(target[0]);
      for (Map.Entry<String, Path> blob : image.blobs().entrySet()) {
        client
            .blobs()
            .push(repo, blob.getValue(), AcrBlobCommands.progress(err(), "Pushing", blob.getKey()));
      }
      String digest = "";
      for (int i = 0; i < image.manifests().size(); i++) {
        LocalImage.Manifest m = image.manifests().get(i);
        boolean last = i == image.manifests().size() - 1;
        String ref = last && target[1] != null ? target[1] : sha256(m.bytes());
        digest = client.putManifest(repo, ref, m.mediaType(), m.bytes());
      }
      out()
          .println(
              "Imported "
                  + source
                  + " as "
                  + qualified(
                      target[1] == null ? target[0] + "@" + digest : target[0] + ":" + target[1])
                  + (target[1] == null ? "" : " (" + digest + ")"));
    }
    return 0;
  }

  private String qualified(String image) {
    return registry.name + "/" + image;
  }

  private static String[] split(String tag) {
    int colon = tag.lastIndexOf(':');
    return colon > 0 && colon > tag.lastIndexOf('/')
        ? new String[] {tag.substring(0, colon), tag.substring(colon + 1)}
        : new String[] {tag, "latest"};
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
