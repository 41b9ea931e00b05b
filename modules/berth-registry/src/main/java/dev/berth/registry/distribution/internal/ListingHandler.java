package dev.berth.registry.distribution.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.HttpExchange;
import dev.berth.http.Json;
import dev.berth.registry.blob.Digest;
import dev.berth.registry.distribution.RepositoryMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The discovery endpoints: {@code GET /v2/<name>/tags/list}, {@code GET /v2/_catalog} and {@code
 * GET /v2/<name>/referrers/<digest>}. Thread-safe.
 */
public final class ListingHandler {

  private final DistributionServices services;

  public ListingHandler(DistributionServices services) {
    this.services = services;
  }

  public void version(Call call) {
    call.exchange().sendJson(200, Map.of());
  }

  public void tags(Call call) throws Exception {
    RepositoryMetadata repo = services.existing(call);
    List<String> names = repo.tags().stream().map(RepositoryMetadata.Tag::name).toList();
    List<String> page =
        Paging.page(
            call.exchange(), names, Function.identity(), "/v2/" + call.name() + "/tags/list", "");
    ObjectNode body = Json.object().put("name", call.name());
    body.set("tags", Json.MAPPER.valueToTree(page));
    call.exchange().sendJson(200, body);
  }

  public void catalog(Call call) {
    catalog(call, "/v2/_catalog");
  }

  void catalog(Call call, String path) {
    List<String> all = services.metadata().repositories(call.registryKey());
    List<String> page = Paging.page(call.exchange(), all, Function.identity(), path, "");
    call.exchange().sendJson(200, Map.of("repositories", page));
  }

  public void referrers(Call call) throws Exception {
    Digest subject = Names.digest(call.var("digest"));
    HttpExchange ex = call.exchange();
    Optional<String> artifactType = ex.query("artifactType");
    ArrayNode manifests = Json.MAPPER.createArrayNode();
    for (JsonNode descriptor : services.repository(call).referrers(subject)) {
      if (artifactType.isEmpty()
          || artifactType.get().equals(descriptor.path("artifactType").asText())) {
        manifests.add(descriptor);
      }
    }
    if (artifactType.isPresent()) {
      ex.setHeader("OCI-Filters-Applied", "artifactType");
    }
    ObjectNode index =
        Json.object().put("schemaVersion", 2).put("mediaType", ParsedManifest.OCI_INDEX);
    index.set("manifests", manifests);
    ex.send(200, ParsedManifest.OCI_INDEX, Json.bytes(index));
  }
}
