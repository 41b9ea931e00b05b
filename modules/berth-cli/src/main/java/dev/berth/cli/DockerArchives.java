package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.RegistryBlobs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a {@code docker save} archive ({@code manifest.json} with {@code Config}, {@code RepoTags}
 * and {@code Layers}) into a {@link LocalImage}: a Docker v2 schema 2 manifest whose layers are the
 * archive's, gzip-compressed as registries serve them (the config's {@code diff_ids} stay those of
 * the uncompressed layers). Entries are unpacked to numbered files in {@code work}, never under the
 * names the archive gives them. Stateless.
 *
 * @see <a href="https://github.com/moby/moby/blob/master/image/spec/v1.2.md">Docker image
 *     specification v1.2, "Combined Image JSON + Filesystem Changeset Format"</a>
 */
final class DockerArchives {

  static final String MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private DockerArchives() {}

  static LocalImage read(Path archive, Path work) {
    try {
      Map<String, Path> entries = unpack(archive, work);
      Path manifestFile = entries.get("manifest.json");
      if (manifestFile == null) {
        throw new CliFailure(
            "'" + archive + "' is neither a docker-archive (no manifest.json) nor a directory.");
      }
      JsonNode list = LocalImage.JSON.readTree(manifestFile.toFile());
      if (!list.isArray() || list.size() != 1) {
        throw new CliFailure("'" + archive + "' must hold exactly one image.");
      }
      JsonNode image = list.get(0);
      Map<String, Path> blobs = new LinkedHashMap<>();
      Path config = entry(entries, image.path("Config").asText(), archive);
      String configDigest = RegistryBlobs.digest(config);
      blobs.put(configDigest, config);
      ObjectNode manifest = LocalImage.JSON.createObjectNode();
      manifest.put("schemaVersion", 2).put("mediaType", MANIFEST);
      manifest
          .putObject("config")
          .put("mediaType", CONFIG)
          .put("size", Files.size(config))
          .put("digest", configDigest);
      ArrayNode layers = manifest.putArray("layers");
      for (JsonNode name : image.path("Layers")) {
        Path layer = gzipped(entry(entries, name.asText(), archive));
        String digest = RegistryBlobs.digest(layer);
        blobs.put(digest, layer);
        layers
            .addObject()
            .put("mediaType", LAYER)
            .put("size", Files.size(layer))
            .put("digest", digest);
      }
      byte[] bytes = LocalImage.JSON.writeValueAsBytes(manifest);
      Optional<String> name =
          image.path("RepoTags").isArray() && !image.path("RepoTags").isEmpty()
              ? Optional.of(withoutRegistry(image.path("RepoTags").get(0).asText()))
              : Optional.empty();
      return new LocalImage(blobs, List.of(new LocalImage.Manifest("", MANIFEST, bytes)), name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + archive, e);
    }
  }

  /** {@code localhost:5000/team/api:v1} → {@code team/api:v1}; {@code api:v1} stays. */
  static String withoutRegistry(String repoTag) {
    int slash = repoTag.indexOf('/');
    if (slash > 0) {
      String first = repoTag.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        return repoTag.substring(slash + 1);
      }
    }
    return repoTag;
  }

  private static Map<String, Path> unpack(Path archive, Path work) throws IOException {
    Map<String, Path> entries = new HashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      int n = 0;
      Map<String, String> links = new HashMap<>();
      while ((e = tar.getNextEntry()) != null) {
        if (e.isSymbolicLink()) {
          // Some tools list a layer as dir/layer.tar -> ../<digest>.tar: resolved by name below.
          links.put(normalize(e.getName()), resolve(e.getName(), e.getLinkName()));
          continue;
        }
        if (!e.isFile()) {
          continue;
        }
        Path file = work.resolve("entry-" + n++);
        Files.copy(tar, file, StandardCopyOption.REPLACE_EXISTING);
        entries.put(normalize(e.getName()), file);
      }
      links.forEach(
          (name, target) -> {
            if (entries.containsKey(target)) {
              entries.putIfAbsent(name, entries.get(target));
            }
          });
    }
    return entries;
  }

  /** A link's target as an entry name: relative to the link's directory, no {@code ..} left. */
  private static String resolve(String name, String target) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    String base = normalize(name);
    int slash = base.lastIndexOf('/');
    if (!target.startsWith("/") && slash > 0) {
      for (String p : base.substring(0, slash).split("/")) {
        parts.addLast(p);
      }
    }
    for (String p : target.split("/")) {
      if (p.equals("..")) {
        parts.pollLast();
      } else if (!p.isEmpty() && !p.equals(".")) {
        parts.addLast(p);
      }
    }
    return String.join("/", parts);
  }

  private static Path entry(Map<String, Path> entries, String name, Path archive) {
    Path file = entries.get(normalize(name));
    if (file == null) {
      throw new CliFailure("'" + archive + "' names '" + name + "' but does not contain it.");
    }
    return file;
  }

  private static String normalize(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  /** The layer gzip-compressed, unless it already is. */
  private static Path gzipped(Path layer) throws IOException {
    try (InputStream in = Files.newInputStream(layer)) {
      byte[] magic = in.readNBytes(2);
      if (magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        return layer;
      }
    }
    Path out = layer.resolveSibling(layer.getFileName() + ".gz");
    try (InputStream in = Files.newInputStream(layer);
        OutputStream gz = new GZIPOutputStream(Files.newOutputStream(out), 1 << 16)) {
      in.transferTo(gz);
    }
    return out;
  }
}
