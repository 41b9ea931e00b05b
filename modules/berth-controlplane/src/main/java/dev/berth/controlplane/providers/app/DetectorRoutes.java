package dev.berth.controlplane.providers.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Revision;
import dev.berth.controlplane.ProviderRoute;
import dev.berth.http.Json;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET …/containerApps/{app}/detectors} and {@code …/detectors/{name}}: Container Apps'
 * diagnostics resource ({@code ContainerAppsDiagnostics_ListDetectors} / {@code _GetDetector}, type
 * {@code Microsoft.App/containerApps/detectors}), with one detector of Berth's, {@code
 * imagePullFailures}: per revision (the active ones and the latest; {@code ?revisionName=} for one)
 * a table of the pull diagnosis' findings, and Berth's structured form under {@code
 * properties.berthDiagnosis}. Reading it takes the detectors' read action, which Reader holds.
 * Thread-safe when its diagnostics are.
 *
 * @see <a
 *     href="https://learn.microsoft.com/rest/api/containerapps/container-apps-diagnostics">Container
 *     Apps Diagnostics REST API</a>
 */
public final class DetectorRoutes {

  /** What reading a detector takes, as in ACA. */
  public static final String ACTION = "Microsoft.App/containerApps/detectors/read";

  /** The one detector Berth serves. */
  public static final String IMAGE_PULL = "imagePullFailures";

  private static final List<String> COLUMNS =
      List.of("code", "cause", "explanation", "resources", "berthFix", "azFix");

  private DetectorRoutes() {}

  /** The list and get routes, to add to the container apps type. */
  public static List<ProviderRoute> of(ResourceStore store, PullDiagnostics diagnostics) {
    return List.of(
        new ProviderRoute(
            "detectors",
            "GET",
            "detectors",
            ACTION,
            r -> {
              ObjectNode list = Json.object();
              list.putArray("value").add(detector(store, diagnostics, r));
              r.exchange().sendJson(200, list);
            }),
        new ProviderRoute(
            "detector",
            "GET",
            "detectors/{detectorName}",
            ACTION,
            r -> {
              if (!r.var("detectorName").equalsIgnoreCase(IMAGE_PULL)) {
                throw ArmException.of(
                    ArmErrorCode.ResourceNotFound,
                    "Detector '"
                        + r.var("detectorName")
                        + "' was not found. Berth serves '"
                        + IMAGE_PULL
                        + "'.");
              }
              r.exchange().sendJson(200, detector(store, diagnostics, r));
            }));
  }

  private static ObjectNode detector(
      ResourceStore store, PullDiagnostics diagnostics, ProviderRoute.Request r) {
    ResourceId appId = r.resource();
    StoredResource appDoc =
        store
            .get(appId)
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.ResourceNotFound,
                        "The Resource 'Microsoft.App/containerApps/"
                            + appId.name()
                            + "' under resource group '"
                            + appId.resourceGroupName().orElse("")
                            + "' was not found."));
    List<ResourceId> revisions = revisions(store, appDoc, r.query("revisionName"));
    ObjectNode out = Json.object();
    out.put("id", appId.value() + "/detectors/" + IMAGE_PULL);
    out.put("name", IMAGE_PULL);
    out.put("type", AppTypes.CONTAINER_APP + "/detectors");
    ObjectNode properties = out.putObject("properties");
    ObjectNode metadata = properties.putObject("metadata");
    metadata.put("id", IMAGE_PULL);
    metadata.put("name", "Image pull failures");
    metadata.put(
        "description",
        "Why a revision cannot pull its image, each cause with the commands that fix it.");
    metadata.put("author", "Berth");
    metadata.put("category", "Availability and Performance");
    metadata.put("type", "Detector");
    metadata.put("score", 0);
    ArrayNode dataset = properties.putArray("dataset");
    ArrayNode structured = properties.putObject("berthDiagnosis").putArray("revisions");
    boolean healthy = true;
    List<String> summary = new ArrayList<>();
    for (ResourceId revision : revisions) {
      Optional<ObjectNode> d = diagnostics.diagnose(revision);
      if (d.isEmpty()) {
        summary.add(revision.name() + ": no reconciler runs here to diagnose it");
        continue;
      }
      ObjectNode diagnosis = d.get();
      diagnosis.put("revision", revision.name());
      structured.add(diagnosis);
      boolean ok = diagnosis.path("healthy").asBoolean(false);
      healthy &= ok;
      summary.add(
          revision.name() + ": " + (ok ? "nothing is wrong" : diagnosis.path("text").asText()));
      dataset.add(table(revision, diagnosis));
    }
    ObjectNode status = properties.putObject("status");
    status.put("message", String.join("\n", summary));
    // ACA's statusId: 0 none, 1 warning, 2 critical (as its detectors' insights rank them).
    status.put("statusId", healthy ? 0 : 2);
    ObjectNode provider = properties.putObject("dataProviderMetadata");
    provider.put("providerName", "Berth");
    provider.putArray("propertyBag");
    return out;
  }

  private static ObjectNode table(ResourceId revision, JsonNode diagnosis) {
    ObjectNode entry = Json.object();
    ObjectNode table = entry.putObject("table");
    table.put("tableName", revision.name());
    ArrayNode columns = table.putArray("columns");
    for (String c : COLUMNS) {
      columns.addObject().put("columnName", c).put("dataType", "String").put("columnType", "");
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode f : diagnosis.path("findings")) {
      ArrayNode row = rows.addArray();
      row.add(f.path("code").asText());
      row.add(f.path("cause").asText());
      row.add(f.path("explanation").asText());
      row.add(join(f.path("resources")));
      row.add(join(f.path("fix").path("berth")));
      row.add(join(f.path("fix").path("az")));
    }
    ObjectNode rendering = entry.putObject("renderingProperties");
    rendering.put("type", 1);
    rendering.put("title", revision.name());
    rendering.put("description", diagnosis.path("text").asText());
    rendering.put("isVisible", true);
    return entry;
  }

  private static String join(JsonNode lines) {
    List<String> out = new ArrayList<>();
    lines.forEach(l -> out.add(l.asText()));
    return String.join("\n", out);
  }

  /** One named revision, or the active ones and the latest. */
  private static List<ResourceId> revisions(
      ResourceStore store, StoredResource appDoc, Optional<String> named) {
    ResourceId appId = appDoc.id();
    if (named.isPresent()) {
      ResourceId id = appId.child("revisions", named.get());
      if (store.get(id).isEmpty()) {
        throw ArmException.of(
            ArmErrorCode.ResourceNotFound,
            "Revision '"
                + named.get()
                + "' of container app '"
                + appId.name()
                + "' was not found.");
      }
      return List.of(id);
    }
    Optional<String> latest = ContainerApp.of(appId, appDoc.body()).latestRevisionName();
    List<ResourceId> out = new ArrayList<>();
    store.stream(Query.children(appId, AppTypes.REVISION))
        .filter(
            r ->
                Revision.of(r.id(), r.body()).active()
                    || latest.map(l -> l.equalsIgnoreCase(r.id().name())).orElse(false))
        .forEach(r -> out.add(r.id()));
    return out;
  }
}
