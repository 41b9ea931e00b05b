package dev.berth.registry.distribution.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.Json;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A pushed manifest, checked for shape: its media type, the blobs it needs (config and layers) or
 * the manifests it lists (index), its {@code subject} and artifact type. Immutable.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">OCI image
 *     manifest</a>
 */
public record ParsedManifest(
    String mediaType,
    List<Digest> blobs,
    List<Digest> children,
    Optional<Digest> subject,
    Optional<String> artifactType,
    JsonNode annotations) {

  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
  static final Set<String> KNOWN = Set.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);

  /**
   * @param contentType the request's {@code Content-Type}, if any
   * @throws RegistryException {@code MANIFEST_INVALID} for anything malformed
   */
  public static ParsedManifest parse(byte[] body, Optional<String> contentType) {
    JsonNode json;
    try {
      json = Json.parse(body);
    } catch (JsonProcessingException | RuntimeException e) {
      throw invalid("manifest is not valid JSON");
    }
    if (!(json instanceof ObjectNode)) {
      throw invalid("manifest is not a JSON object");
    }
    Optional<String> declared = Optional.ofNullable(json.path("mediaType").textValue());
    Optional<String> header =
        contentType.map(t -> t.split(";", 2)[0].strip()).filter(t -> !t.isEmpty());
    if (declared.isPresent() && header.isPresent() && !declared.get().equals(header.get())) {
      throw invalid("mediaType " + declared.get() + " does not match Content-Type " + header.get());
    }
    String mediaType =
        header.or(() -> declared).orElseThrow(() -> invalid("manifest media type unknown"));
    if (!KNOWN.contains(mediaType)) {
      throw invalid("unsupported manifest media type " + mediaType);
    }
    if (json.path("schemaVersion").asInt(0) != 2) {
      throw invalid("schemaVersion must be 2");
    }
    List<Digest> blobs = new ArrayList<>();
    List<Digest> children = new ArrayList<>();
    Optional<String> artifactType = Optional.ofNullable(json.path("artifactType").textValue());
    if (INDEXES.contains(mediaType)) {
      for (JsonNode child : array(json, "manifests")) {
        children.add(descriptorDigest(child));
      }
    } else {
      JsonNode config = json.path("config");
      if (!config.isObject()) {
        throw invalid("manifest has no config descriptor");
      }
      blobs.add(descriptorDigest(config));
      for (JsonNode layer : array(json, "layers")) {
        blobs.add(descriptorDigest(layer));
      }
      if (artifactType.isEmpty()) {
        artifactType = Optional.ofNullable(config.path("mediaType").textValue());
      }
    }
    Optional<Digest> subject =
        json.has("subject") ? Optional.of(descriptorDigest(json.get("subject"))) : Optional.empty();
    return new ParsedManifest(
        mediaType, blobs, children, subject, artifactType, json.path("annotations"));
  }

  private static Iterable<JsonNode> array(JsonNode json, String field) {
    JsonNode node = json.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid(field + " must be an array");
    }
    return node;
  }

  private static Digest descriptorDigest(JsonNode descriptor) {
    if (!descriptor.isObject()) {
      throw invalid("a descriptor must be a JSON object");
    }
    String text = descriptor.path("digest").asText("");
    Digest digest =
        Digest.tryParse(text)
            .orElseThrow(() -> invalid("descriptor digest is invalid: \"" + text + "\""));
    checkSize(descriptor.get("size"), digest);
    return digest;
  }

  /**
   * A descriptor's {@code size} is an int64 of at least 0 (image-spec descriptor.md): a negative
   * size, a fraction, or one too large for 64 bits (10^30) is refused here rather than stored and
   * handed to clients, which would overflow or misread it.
   */
  private static void checkSize(JsonNode size, Digest digest) {
    if (size == null) {
      return; // lenient like distribution: the blob itself is checked by digest
    }
    if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
      throw invalid("descriptor " + digest + " has an invalid size " + size + ": need 0 to 2^63-1");
    }
  }

  static RegistryException invalid(String message) {
    return RegistryException.of(RegistryErrorCode.MANIFEST_INVALID, "manifest invalid", message);
  }

  /** The descriptor a referrers index lists for this manifest. */
  public ObjectNode descriptor(Digest digest, long size) {
    ObjectNode d = Json.object().put("mediaType", mediaType).put("digest", digest.toString());
    d.put("size", size);
    artifactType.ifPresent(a -> d.put("artifactType", a));
    if (annotations.isObject() && !annotations.isEmpty()) {
      d.set("annotations", annotations);
    }
    return d;
  }
}
