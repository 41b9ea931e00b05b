package dev.berth.runtime.image.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Reason;
import dev.berth.runtime.image.PullException.Step;
import dev.berth.runtime.image.internal.PullErrors.RegistryError;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Fetches and verifies an image's manifest ({@code GET /v2/<repo>/manifests/<ref>}), following an
 * index (OCI image index or Docker manifest list) to its linux/amd64 entry. The manifest is fetched
 * on every pull: tags move. Stateless; thread-safe.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">OCI image
 *     index</a>
 */
final class ManifestFetcher {

  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  private static final String ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
  private static final int MANIFEST_LIMIT = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  ImageManifest fetch(
      RegistryEndpoint endpoint, Optional<String> authorization, ImageReference image)
      throws PullException {
    Fetched top = get(endpoint, authorization, image, image.manifestReference());
    JsonNode manifest = top.json();
    if (manifest.has("manifests")) {
      String digest = linuxAmd64(manifest, image, top.url());
      manifest = get(endpoint, authorization, image, digest).json();
      if (manifest.has("manifests")) {
        throw PullErrors.invalid(
            Step.MANIFEST, "GET", top.url(), "the linux/amd64 entry is itself an index");
      }
    }
    return new ImageManifest(
        top.digest(), descriptor(manifest.path("config"), top.url()), layers(manifest, top.url()));
  }

  private record Fetched(String url, String digest, JsonNode json) {}

  private Fetched get(
      RegistryEndpoint endpoint,
      Optional<String> authorization,
      ImageReference image,
      String reference)
      throws PullException {
    URI uri = endpoint.resolve("/v2/" + image.repository() + "/manifests/" + reference);
    String url = uri.toString();
    byte[] body;
    Optional<String> announced;
    try (RegistryTransport.Answer answer =
        endpoint.send(
            Step.MANIFEST,
            "GET",
            uri,
            r ->
                r.headers(
                    h -> {
                      h.put(HttpHeader.ACCEPT, ACCEPT);
                      authorization.ifPresent(a -> h.put(HttpHeader.AUTHORIZATION, a));
                    }))) {
      body = answer.bytes(MANIFEST_LIMIT);
      if (answer.status() != 200) {
        throw PullErrors.fromResponse(
            Step.MANIFEST, "GET", url, answer.status(), body, notFound(answer.status(), reference));
      }
      announced = answer.header("Docker-Content-Digest");
    } catch (IOException e) {
      throw PullErrors.unreachable(Step.MANIFEST, "GET", uri, e);
    }
    String digest = Digests.of(body);
    if (announced.isPresent() && !announced.get().equals(digest)) {
      throw PullErrors.invalid(
          Step.MANIFEST,
          "GET",
          url,
          "digest mismatch: Docker-Content-Digest says "
              + announced.get()
              + ", content is "
              + digest);
    }
    if (Digests.isValid(reference) && !reference.equals(digest)) {
      throw PullErrors.invalid(
          Step.MANIFEST, "GET", url, "digest mismatch: asked for " + reference + ", got " + digest);
    }
    try {
      return new Fetched(url, digest, JSON.readTree(body));
    } catch (IOException e) {
      throw PullErrors.invalid(Step.MANIFEST, "GET", url, "the manifest is not JSON");
    }
  }

  private static Optional<RegistryError> notFound(int status, String reference) {
    if (status != 404) {
      return Optional.empty();
    }
    String what =
        Digests.isValid(reference)
            ? "manifest " + reference + " is not found"
            : "manifest tagged by \"" + reference + "\" is not found";
    return Optional.of(new RegistryError("MANIFEST_UNKNOWN", what));
  }

  private static String linuxAmd64(JsonNode index, ImageReference image, String url)
      throws PullException {
    for (JsonNode entry : index.path("manifests")) {
      JsonNode platform = entry.path("platform");
      if (platform.path("os").asText().equals("linux")
          && platform.path("architecture").asText().equals("amd64")
          && Digests.isValid(entry.path("digest").asText())) {
        return entry.path("digest").asText();
      }
    }
    throw new PullException(
        Reason.NO_MATCHING_PLATFORM,
        Step.MANIFEST,
        200,
        null,
        "GET " + url + ": no match for platform linux/amd64 in the index of " + image,
        null);
  }

  private static List<Descriptor> layers(JsonNode manifest, String url) throws PullException {
    if (!manifest.path("layers").isArray()) {
      throw PullErrors.invalid(
          Step.MANIFEST,
          "GET",
          url,
          "not an image manifest (no 'layers'); schema 1 manifests are not supported");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(descriptor(layer, url));
    }
    return layers;
  }

  private static Descriptor descriptor(JsonNode node, String url) throws PullException {
    String digest = node.path("digest").asText();
    if (!Digests.isValid(digest)) {
      throw PullErrors.invalid(
          Step.MANIFEST, "GET", url, "a descriptor has no valid sha256 digest: '" + digest + "'");
    }
    return new Descriptor(node.path("mediaType").asText(""), digest, node.path("size").asLong(-1));
  }
}
