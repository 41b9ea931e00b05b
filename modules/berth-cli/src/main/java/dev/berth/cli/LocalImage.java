package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image read from local files, ready to push: its blobs (files, by digest), its manifests
 * children first (the last one is the image or index to tag), and the name its files suggest. Read
 * from an OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code
 * blobs/sha256/…}) here, or from a {@code docker save} archive by {@link DockerArchives}. Immutable
 * once read.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image
 *     layout</a>
 */
record LocalImage(Map<String, Path> blobs, List<Manifest> manifests, Optional<String> name) {

  /** A manifest's bytes as they will be pushed, and its media type. */
  record Manifest(String digest, String mediaType, byte[] bytes) {}

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final String REF_NAME = "org.opencontainers.image.ref.name";

  /**
   * Reads the layout at {@code dir}; {@code tag} picks the {@code index.json} entry with that
   * {@code ref.name} (needed when there are several).
   */
  static LocalImage fromLayout(Path dir, Optional<String> tag) {
    try {
      if (!Files.isRegularFile(dir.resolve("oci-layout"))
          || !Files.isRegularFile(dir.resolve("index.json"))) {
        throw new CliFailure(
            "'" + dir + "' is not an OCI image layout (it has no oci-layout and index.json).");
      }
      JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
      List<JsonNode> entries = new ArrayList<>();
      for (JsonNode m : index.path("manifests")) {
        String ref = m.path("annotations").path(REF_NAME).asText("");
        if (tag.isEmpty() || tag.get().equals(ref)) {
          entries.add(m);
        }
      }
      if (entries.size() != 1) {
        throw new CliFailure(
            entries.isEmpty()
                ? "The layout '"
                    + dir
                    + "' has no image"
                    + tag.map(t -> " tagged " + t).orElse("")
                    + "."
                : "The layout '" + dir + "' holds several images: add :TAG to --source.");
      }
      JsonNode top = entries.get(0);
      Map<String, Path> blobs = new LinkedHashMap<>();
      List<Manifest> manifests = new ArrayList<>();
      collect(dir, top.path("digest").asText(), top.path("mediaType").asText(), blobs, manifests);
      Optional<String> name =
          Optional.of(top.path("annotations").path(REF_NAME).asText("")).filter(s -> !s.isEmpty());
      return new LocalImage(blobs, manifests, name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the layout " + dir, e);
    }
  }

  private static void collect(
      Path dir, String digest, String mediaType, Map<String, Path> blobs, List<Manifest> out)
      throws IOException {
    byte[] bytes = Files.readAllBytes(blob(dir, digest));
    JsonNode json = JSON.readTree(bytes);
    String type = json.path("mediaType").asText(mediaType);
    for (JsonNode child : json.path("manifests")) {
      collect(dir, child.path("digest").asText(), child.path("mediaType").asText(), blobs, out);
    }
    if (json.has("config")) {
      String config = json.path("config").path("digest").asText();
      blobs.put(config, blob(dir, config));
    }
    for (JsonNode layer : json.path("layers")) {
      String d = layer.path("digest").asText();
      blobs.put(d, blob(dir, d));
    }
    out.add(new Manifest(digest, type, bytes));
  }

  /** The file of a blob; refuses digests that are not sha256 (they name no file of ours). */
  private static Path blob(Path dir, String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new CliFailure("The layout names a blob '" + digest + "' that is not sha256:<hex>.");
    }
    Path file = dir.resolve("blobs").resolve("sha256").resolve(digest.substring(7));
    if (!Files.isRegularFile(file)) {
      throw new CliFailure("The layout '" + dir + "' lacks the blob " + digest + ".");
    }
    return file;
  }
}
