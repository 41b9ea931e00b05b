package dev.berth.server.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.Registry;
import dev.berth.controlplane.providers.containerregistry.ImageImports;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.RepositoryReader;
import dev.berth.registry.distribution.RepositoryWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACR's {@code importImage} over Berth's registry storage: reads the source image's manifests (an
 * index and every manifest it lists) from the source registry (over HTTP, or in place for one of
 * Berth's own), then writes each target repository its blobs (each downloaded once; a blob Berth
 * already stores is linked, not fetched), manifests and tags. In {@code NoForce} mode an existing
 * target tag fails the import before anything is written, as in ACR. Thread-safe.
 */
public final class RegistryImageImports implements ImageImports {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryImageImports.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> INDEXES =
      Set.of(
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  /** The data plane's decision on a pull: {@code AcrAccess::pullDecision}. */
  @FunctionalInterface
  public interface Pulls {
    AccessDecision decide(Principal principal, Registry registry, String repository);
  }

  private final RepositoryWriter writer;
  private final RepositoryReader reader;
  private final Pulls pulls;
  private final HttpClient http;

  /**
   * {@code trust}: the certificates a source registry may present (Berth's CA and the system's);
   * {@code pulls}: who may pull what from Berth's own registries, asked before an import reads one.
   */
  public RegistryImageImports(
      RepositoryWriter writer, RepositoryReader reader, Pulls pulls, SSLContext trust) {
    this.writer = writer;
    this.reader = reader;
    this.pulls = pulls;
    this.http =
        HttpClient.newBuilder()
            .sslContext(trust)
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public AccessDecision pullDecision(Principal caller, Registry source, String repository) {
    return pulls.decide(caller, source, repository);
  }

  @Override
  public void copy(Registry target, Request request) throws Exception {
    String key = target.storageKey();
    if (!request.force()) {
      for (TargetTag t : request.targetTags()) {
        if (writer.tag(key, t.repository(), t.tag()).isPresent()) {
          throw ArmException.of(
              ArmErrorCode.Conflict,
              "Tag "
                  + t.repository()
                  + ":"
                  + t.tag()
                  + " already exists in target registry. Use mode Force to overwrite it.");
        }
      }
    }
    ImageSource source =
        request
            .berthSource()
            .<ImageSource>map(r -> new BerthSource(reader, r, request))
            .orElseGet(() -> new SourceRegistry(http, request));
    try {
      Map<String, ImageSource.Manifest> manifests = new LinkedHashMap<>();
      String top = read(source, request.reference(), manifests);
      Set<String> repositories = new LinkedHashSet<>();
      request.targetTags().forEach(t -> repositories.add(t.repository()));
      repositories.addAll(request.untaggedRepositories());
      try (RepositoryWriter.Copy copy = writer.begin()) {
        for (String repository : repositories) {
          Set<String> tags = new LinkedHashSet<>();
          request.targetTags().stream()
              .filter(t -> t.repository().equals(repository))
              .forEach(t -> tags.add(t.tag()));
          write(source, key, repository, manifests, top, tags);
        }
      }
      LOG.info("imported {} into {} as {}", request.source(), target.id(), request.targetTags());
    } catch (ConnectException | HttpTimeoutException | SSLException e) {
      throw source.failed("cannot reach the source registry (" + e.getMessage() + ").");
    } catch (RegistryException e) {
      throw source.failed("the image is not valid (" + e.getMessage() + ").");
    }
  }

  /**
   * Reads the manifest {@code reference} and, for an index, every manifest it lists, into {@code
   * into} (children first); returns the digest of the one read.
   */
  private static String read(
      ImageSource source, String reference, Map<String, ImageSource.Manifest> into)
      throws IOException, InterruptedException {
    ImageSource.Manifest m = source.manifest(reference);
    String digest = Digest.sha256(m.bytes()).toString();
    if (reference.startsWith("sha256:") && !reference.equals(digest)) {
      throw source.failed("the manifest " + reference + " arrived with digest " + digest + ".");
    }
    if (INDEXES.contains(m.mediaType())) {
      for (JsonNode child : JSON.readTree(m.bytes()).path("manifests")) {
        String d = child.path("digest").asText();
        if (!into.containsKey(d)) {
          read(source, d, into);
        }
      }
    }
    into.put(digest, m);
    return digest;
  }

  /** One target repository: blobs, then manifests children first, the top one tagged. */
  private void write(
      ImageSource source,
      String key,
      String repository,
      Map<String, ImageSource.Manifest> manifests,
      String top,
      Set<String> tags)
      throws IOException, InterruptedException {
    for (ImageSource.Manifest m : manifests.values()) {
      for (String blob : blobs(m)) {
        Digest d = Digest.parse(blob);
        if (writer.hasBlob(key, repository, d) || writer.linkStored(key, repository, d)) {
          continue;
        }
        try (InputStream in = source.blob(blob)) {
          writer.putBlob(key, repository, d, in);
        }
      }
    }
    for (Map.Entry<String, ImageSource.Manifest> e : manifests.entrySet()) {
      ImageSource.Manifest m = e.getValue();
      writer.putManifest(
          key, repository, m.bytes(), m.mediaType(), e.getKey().equals(top) ? tags : Set.of());
    }
  }

  /** The config and layers an image manifest names (none for an index). */
  private static List<String> blobs(ImageSource.Manifest m) throws IOException {
    List<String> out = new ArrayList<>();
    if (INDEXES.contains(m.mediaType())) {
      return out;
    }
    JsonNode json = JSON.readTree(m.bytes());
    Optional.ofNullable(json.path("config").path("digest").textValue()).ifPresent(out::add);
    json.path("layers").forEach(l -> out.add(l.path("digest").asText()));
    return out;
  }
}
