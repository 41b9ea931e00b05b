package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One container app as its pages read it: its ARM id, its document as the API returned it to the
 * signed-in person, and the chrome every blade of the app shares (breadcrumbs Home › group › app,
 * the blade menu). Immutable once built.
 *
 * @param armId the app's ARM id
 * @param app the app's document, as {@code GET} returned it
 */
public record AppView(String armId, JsonNode app) {

  /** The Microsoft.App api-version the pages speak. */
  static final String API = "api-version=2024-03-01";

  /** The app's blades, in menu order: path segment ("" for Overview) and label. */
  private static final List<Map.Entry<String, String>> BLADES =
      List.of(
          Map.entry("", "Overview"),
          Map.entry("revisions", "Revisions and replicas"),
          Map.entry("containers", "Containers"),
          Map.entry("ingress", "Ingress and traffic"),
          Map.entry("scale", "Scale"),
          Map.entry("identity", "Identity"),
          Map.entry("secrets", "Secrets"),
          Map.entry("logstream", "Log stream"),
          Map.entry("diagnose", "Diagnose and solve problems"));

  /**
   * The app the request's path names ({@code sub}, {@code rg}, {@code app}), read as the person.
   */
  static AppView load(PortalRequest request) {
    String id = idOf(request);
    return new AppView(id, request.arm().get(id + "?" + API));
  }

  static String idOf(PortalRequest request) {
    var e = request.exchange();
    return "/subscriptions/"
        + e.pathVar("sub")
        + "/resourceGroups/"
        + e.pathVar("rg")
        + "/providers/Microsoft.App/containerApps/"
        + e.pathVar("app");
  }

  public String name() {
    return app.path("name").asText();
  }

  public JsonNode properties() {
    return app.path("properties");
  }

  /** The portal address of a blade of this app ({@code ""} for the Overview). */
  public String href(String blade) {
    String base = ResourcePaths.portalHref(armId);
    return blade.isEmpty() ? base : base + "/" + blade;
  }

  /** The chrome of the blade {@code blade} of this app, titled {@code title}. */
  Chrome chrome(PortalRequest request, String blade, String title) {
    String group = ResourcePaths.group(armId);
    String groupId = armId.substring(0, armId.toLowerCase(Locale.ROOT).indexOf("/providers/"));
    List<Link> crumbs =
        new ArrayList<>(
            List.of(Link.to("Home", "/portal"), Link.to(group, ResourcePaths.portalHref(groupId))));
    if (!blade.isEmpty()) {
      crumbs.add(Link.to(name(), href("")));
    }
    List<Link> menu = new ArrayList<>();
    for (Map.Entry<String, String> b : BLADES) {
      menu.add(new Link(b.getValue(), href(b.getKey()), b.getKey().equals(blade)));
    }
    return Chrome.of(title, request.session(), crumbs).withBlades(name(), menu);
  }

  /** The principal id of the identity a registries[] entry names ({@code system} or an id). */
  public Optional<String> principalOf(String identity) {
    JsonNode block = app.path("identity");
    if (identity.equalsIgnoreCase("system")) {
      return text(block.path("principalId"));
    }
    Iterator<Map.Entry<String, JsonNode>> it = block.path("userAssignedIdentities").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(identity)) {
        return text(e.getValue().path("principalId"));
      }
    }
    return Optional.empty();
  }

  /** Whether the app has a system-assigned identity. */
  public boolean hasSystemIdentity() {
    return app.path("identity")
        .path("type")
        .asText("")
        .toLowerCase(Locale.ROOT)
        .contains("systemassigned");
  }

  /** The user-assigned identities attached to the app, by resource id. */
  public List<String> userAssigned() {
    List<String> ids = new ArrayList<>();
    app.path("identity").path("userAssignedIdentities").fieldNames().forEachRemaining(ids::add);
    return ids;
  }

  /** The registries[] entry for {@code server}, if any. */
  public Optional<JsonNode> registryEntry(String server) {
    for (JsonNode r : properties().path("configuration").path("registries")) {
      if (r.path("server").asText().equalsIgnoreCase(server)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  /** The CSS class of a state word ({@code Running}, {@code Failed}…). */
  public static String stateClass(String state) {
    return "status-" + state.toLowerCase(Locale.ROOT);
  }
}
