package dev.berth.registry.distribution.internal;

import dev.berth.http.HttpExchange;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.BlobReader;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.RepositoryMetadata;
import dev.berth.registry.distribution.RepositoryMetadata.Revision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET}/{@code HEAD}/{@code PUT}/{@code DELETE /v2/<name>/manifests/<reference>}. A pushed
 * manifest is stored as a blob, linked as a revision of the repository, tagged, and recorded as a
 * referrer of its {@code subject}. Thread-safe.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests">OCI
 *     distribution spec, pushing manifests</a>
 */
public final class ManifestHandler {

  /** Distribution's limit; the spec answers 413 above it. */
  static final int MAX_MANIFEST = 4 * 1024 * 1024;

  private final DistributionServices services;

  public ManifestHandler(DistributionServices services) {
    this.services = services;
  }

  public void get(Call call) throws Exception {
    serve(call, true);
  }

  public void head(Call call) throws Exception {
    serve(call, false);
  }

  private void serve(Call call, boolean withBody) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    String reference = call.var("reference");
    // A pull knows only 404 (spec v1.1.1, end-3): a reference that is neither a tag nor a digest
    // names no manifest. PUT and DELETE keep 400 MANIFEST_INVALID / DIGEST_INVALID.
    if (!Names.isWellFormedReference(reference)) {
      throw RegistryException.of(
          RegistryErrorCode.MANIFEST_UNKNOWN, "manifest unknown", Map.of("Reference", reference));
    }
    Digest digest = resolve(repo, reference);
    ManifestCache.Entry entry = load(repo, digest);
    HttpExchange ex = call.exchange();
    checkAcceptable(ex, entry.mediaType());
    ex.setHeader("Docker-Content-Digest", digest.toString());
    ex.setHeader("ETag", "\"" + digest + "\"");
    if (withBody) {
      ex.send(200, entry.mediaType(), entry.bytes());
    } else {
      ex.stream(200, entry.mediaType(), entry.bytes().length, out -> {});
    }
  }

  private Digest resolve(RepositoryMetadata repo, String reference) throws IOException {
    if (Names.isDigest(reference)) {
      Digest digest = Names.digest(reference);
      if (!repo.hasRevision(digest)) {
        throw RegistryException.of(
            RegistryErrorCode.MANIFEST_UNKNOWN,
            "manifest unknown",
            Map.of("Digest", digest.toString()));
      }
      return digest;
    }
    return repo.tag(Names.tag(reference))
        .map(RepositoryMetadata.Tag::digest)
        .orElseThrow(() -> tagUnknown(reference));
  }

  static RegistryException tagUnknown(String tag) {
    return RegistryException.of(
        RegistryErrorCode.MANIFEST_UNKNOWN,
        "manifest tagged by \"" + tag + "\" is not found",
        Map.of("Tag", tag));
  }

  private ManifestCache.Entry load(RepositoryMetadata repo, Digest digest) throws IOException {
    return load(services, repo, digest);
  }

  /** A stored manifest's bytes and media type, through the cache. */
  public static ManifestCache.Entry load(
      DistributionServices services, RepositoryMetadata repo, Digest digest) throws IOException {
    Optional<ManifestCache.Entry> cached = services.manifests().get(digest);
    if (cached.isPresent()) {
      return cached.get();
    }
    Revision revision =
        repo.revision(digest)
            .orElseThrow(
                () ->
                    RegistryException.of(
                        RegistryErrorCode.MANIFEST_UNKNOWN, "manifest unknown", digest.toString()));
    Optional<BlobReader> opened = services.blobs().open(digest);
    if (opened.isEmpty()) {
      throw RegistryException.of(
          RegistryErrorCode.MANIFEST_UNKNOWN, "manifest unknown", digest.toString());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (BlobReader blob = opened.get()) {
      blob.copyTo(Channels.newChannel(bytes), 0, blob.size());
    }
    ManifestCache.Entry entry = new ManifestCache.Entry(revision.mediaType(), bytes.toByteArray());
    services.manifests().put(digest, entry);
    return entry;
  }

  /**
   * Like distribution: an OCI manifest or index is refused (404) to a client whose {@code Accept}
   * names neither it nor a wildcard; Docker types are returned regardless, as registries do.
   */
  private static void checkAcceptable(HttpExchange ex, String mediaType) {
    List<String> accepted = new ArrayList<>();
    for (var field : ex.request().getHeaders().getFields("Accept")) {
      for (String part : field.getValue().split(",")) {
        accepted.add(part.split(";", 2)[0].strip());
      }
    }
    boolean oci =
        mediaType.equals(ParsedManifest.OCI_MANIFEST) || mediaType.equals(ParsedManifest.OCI_INDEX);
    if (oci
        && !accepted.isEmpty()
        && !accepted.contains(mediaType)
        && !accepted.contains("*/*")
        && !accepted.contains("application/*")) {
      throw RegistryException.of(
          RegistryErrorCode.MANIFEST_UNKNOWN,
          mediaType.equals(ParsedManifest.OCI_INDEX)
              ? "OCI index found, but accept header does not support OCI indexes"
              : "OCI manifest found, but accept header does not support OCI manifests");
    }
  }

  public void put(Call call) throws Exception {
    HttpExchange ex = call.exchange();
    String reference = call.var("reference");
    Optional<Digest> byDigest =
        Names.isDigest(reference) ? Optional.of(Names.digest(reference)) : Optional.empty();
    Set<String> tags = new LinkedHashSet<>();
    if (byDigest.isEmpty()) {
      tags.add(Names.tag(reference));
    }
    for (String tag : ex.queryParams().getOrDefault("tag", List.of())) {
      tags.add(Names.tag(tag));
    }
    byte[] body;
    try {
      body = ex.body(MAX_MANIFEST);
    } catch (HttpExchange.BodyTooLargeException e) {
      throw RegistryException.of(
          RegistryErrorCode.MANIFEST_TOO_LARGE,
          "manifest too large",
          Map.of("limit", MAX_MANIFEST));
    }
    ParsedManifest manifest = ParsedManifest.parse(body, ex.header("Content-Type"));
    Digest digest = Digest.of(byDigest.map(Digest::algorithm).orElse("sha256"), body);
    if (byDigest.isPresent() && !byDigest.get().equals(digest)) {
      throw RegistryException.of(
          RegistryErrorCode.DIGEST_INVALID,
          "provided digest did not match uploaded content",
          Map.of("expected", byDigest.get().toString(), "actual", digest.toString()));
    }
    RepositoryMetadata repo = services.repository(call);
    // Garbage collection spares what a running push retained (GarbageCollector says why).
    try (ManifestPushes.Push push = services.pushes().begin()) {
      ManifestWrites.checkReferences(repo, manifest, services.blobs());
      services.blobs().put(digest, new ByteArrayInputStream(body));
      ManifestWrites.store(repo, digest, manifest, body, tags, services.clock().instant());
    }
    services.manifests().put(digest, new ManifestCache.Entry(manifest.mediaType(), body));
    manifest.subject().ifPresent(s -> ex.setHeader("OCI-Subject", s.toString()));
    ex.setHeader("Location", "/v2/" + call.name() + "/manifests/" + digest);
    ex.setHeader("Docker-Content-Digest", digest.toString());
    ex.sendEmpty(201);
  }

  public void delete(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    String reference = call.var("reference");
    if (!Names.isDigest(reference)) {
      if (!repo.deleteTag(Names.tag(reference))) {
        throw tagUnknown(reference);
      }
      call.exchange().sendEmpty(202);
      return;
    }
    Digest digest = Names.digest(reference);
    boolean deleted =
        repo.locked(
            () -> {
              Optional<Revision> revision = repo.revision(digest);
              if (revision.isEmpty()) {
                return false;
              }
              for (RepositoryMetadata.Tag tag : repo.tags()) {
                if (tag.digest().equals(digest)) {
                  repo.deleteTag(tag.name());
                }
              }
              if (revision.get().subject().isPresent()) {
                repo.removeReferrer(revision.get().subject().get(), digest);
              }
              return repo.deleteRevision(digest);
            });
    if (!deleted) {
      throw RegistryException.of(
          RegistryErrorCode.MANIFEST_UNKNOWN, "manifest unknown", Map.of("Digest", reference));
    }
    call.exchange().sendEmpty(202);
  }
}
