package dev.berth.registry.distribution.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.Json;
import dev.berth.registry.RegistryErrorCode;
import dev.berth.registry.RegistryException;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.RepositoryMetadata;
import dev.berth.registry.distribution.RepositoryMetadata.Revision;
import dev.berth.registry.distribution.RepositoryMetadata.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * ACR's metadata API under {@code /acr/v1/} (data-plane swagger 2021-07-01): repository properties
 * and deletion, tag and manifest listings, as the Azure SDK's {@code ContainerRegistryClient} and
 * {@code az acr repository} read them. Thread-safe.
 */
public final class AcrHandler {

  private final DistributionServices services;
  private final ListingHandler listings;

  public AcrHandler(DistributionServices services, ListingHandler listings) {
    this.services = services;
    this.listings = listings;
  }

  public void catalog(Call call) {
    listings.catalog(call, "/acr/v1/_catalog");
  }

  public void repository(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    List<Tag> tags = repo.tags();
    List<Revision> revisions = repo.revisions();
    Instant updated = repo.created();
    for (Tag t : tags) {
      updated = t.updated().isAfter(updated) ? t.updated() : updated;
    }
    for (Revision r : revisions) {
      updated = r.created().isAfter(updated) ? r.created() : updated;
    }
    ObjectNode body =
        Json.object()
            .put("registry", call.registry().loginServer())
            .put("imageName", call.name())
            .put("createdTime", repo.created().toString())
            .put("lastUpdateTime", updated.toString())
            .put("manifestCount", revisions.size())
            .put("tagCount", tags.size());
    body.set("changeableAttributes", attributes());
    call.exchange().sendJson(200, body);
  }

  public void deleteRepository(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    ObjectNode body =
        repo.locked(
            () -> {
              ArrayNode manifests = Json.MAPPER.createArrayNode();
              ArrayNode tags = Json.MAPPER.createArrayNode();
              repo.revisions().forEach(r -> manifests.add(r.digest().toString()));
              repo.tags().forEach(t -> tags.add(t.name()));
              repo.deleteAll();
              ObjectNode b = Json.object();
              b.set("manifestsDeleted", manifests);
              b.set("tagsDeleted", tags);
              return b;
            });
    call.exchange().sendJson(202, body);
  }

  public void tags(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    List<Tag> all = new ArrayList<>(repo.tags());
    String orderby = call.exchange().query("orderby").orElse("");
    if (orderby.equalsIgnoreCase("timedesc")) {
      all.sort(Comparator.comparing(Tag::updated).reversed());
    } else if (orderby.equalsIgnoreCase("timeasc")) {
      all.sort(Comparator.comparing(Tag::updated));
    }
    String extra = orderby.isEmpty() ? "" : "&orderby=" + orderby;
    List<Tag> page =
        Paging.page(call.exchange(), all, Tag::name, "/acr/v1/" + call.name() + "/_tags", extra);
    ArrayNode tags = Json.MAPPER.createArrayNode();
    page.forEach(t -> tags.add(tag(t)));
    ObjectNode body = header(call);
    body.set("tags", tags);
    call.exchange().sendJson(200, body);
  }

  public void tag(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    String name = Names.tag(call.var("tag"));
    Tag tag = repo.tag(name).orElseThrow(() -> ManifestHandler.tagUnknown(name));
    ObjectNode body = header(call);
    body.set("tag", tag(tag));
    call.exchange().sendJson(200, body);
  }

  public void deleteTag(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    String name = Names.tag(call.var("tag"));
    if (!repo.deleteTag(name)) {
      throw ManifestHandler.tagUnknown(name);
    }
    call.exchange().sendEmpty(202);
  }

  public void manifests(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    List<Tag> tags = repo.tags();
    ArrayNode manifests = Json.MAPPER.createArrayNode();
    for (Revision r : repo.revisions()) {
      manifests.add(manifest(r, tags, imageSize(repo, r)));
    }
    ObjectNode body = header(call);
    body.set("manifests", manifests);
    call.exchange().sendJson(200, body);
  }

  public void manifest(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    Digest digest = Names.digest(call.var("digest"));
    Revision revision =
        repo.revision(digest)
            .orElseThrow(
                () ->
                    RegistryException.of(
                        RegistryErrorCode.MANIFEST_UNKNOWN,
                        "manifest unknown",
                        Map.of("Digest", digest.toString())));
    ObjectNode body = header(call);
    body.set("manifest", manifest(revision, repo.tags(), imageSize(repo, revision)));
    call.exchange().sendJson(200, body);
  }

  private static ObjectNode header(Call call) {
    return Json.object()
        .put("registry", call.registry().loginServer())
        .put("imageName", call.name());
  }

  /**
   * ACR's {@code imageSize}: what pulling the image moves — the manifest, its config and its
   * layers. An index counts only itself (its images are listed, and counted, on their own).
   */
  private long imageSize(RepositoryMetadata repo, Revision r) throws java.io.IOException {
    if (ParsedManifest.INDEXES.contains(r.mediaType())) {
      return r.size();
    }
    ManifestCache.Entry entry = ManifestHandler.load(services, repo, r.digest());
    long size = r.size();
    for (Digest blob :
        ParsedManifest.parse(entry.bytes(), java.util.Optional.of(r.mediaType())).blobs()) {
      size += services.blobs().stat(blob).map(b -> b.size()).orElse(0L);
    }
    return size;
  }

  private static ObjectNode manifest(Revision r, List<Tag> tags, long imageSize) {
    ObjectNode m =
        Json.object()
            .put("digest", r.digest().toString())
            .put("imageSize", imageSize)
            .put("createdTime", r.created().toString())
            .put("lastUpdateTime", r.created().toString())
            .put("mediaType", r.mediaType());
    ArrayNode names = m.putArray("tags");
    tags.stream().filter(t -> t.digest().equals(r.digest())).forEach(t -> names.add(t.name()));
    m.set("changeableAttributes", attributes());
    return m;
  }

  private static ObjectNode tag(Tag t) {
    ObjectNode o =
        Json.object()
            .put("name", t.name())
            .put("digest", t.digest().toString())
            .put("createdTime", t.created().toString())
            .put("lastUpdateTime", t.updated().toString())
            .put("signed", false);
    o.set("changeableAttributes", attributes());
    return o;
  }

  /** Berth does not lock images yet: everything is enabled, as on a fresh ACR repository. */
  private static ObjectNode attributes() {
    return Json.object()
        .put("deleteEnabled", true)
        .put("writeEnabled", true)
        .put("readEnabled", true)
        .put("listEnabled", true);
  }
}
