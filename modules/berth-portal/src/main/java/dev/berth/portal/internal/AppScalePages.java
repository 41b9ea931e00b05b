package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.Route;
import dev.berth.portal.PortalSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A container app's Scale blade (min and max replicas: a template change, so a new revision) and
 * its Ingress and traffic blade (external or internal, target port, and the traffic rules' weights
 * and labels: application scope, no revision). Each save is a merge patch as the person; the API
 * checks the values and its refusals show in its words. Thread-safe (stateless).
 */
public final class AppScalePages {

  /** One traffic rule as the form shows it. */
  public record Rule(String revision, boolean latest, String weight, String label) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Pages pages;
  private final PortalSettings settings;

  AppScalePages(Pages pages, PortalSettings settings) {
    this.pages = pages;
    this.settings = settings;
  }

  List<Route<PageHandler>> routes() {
    String app = ContainerAppPages.APP;
    return List.of(
        Route.of("GET", app + "/scale", this::scale),
        Route.of("POST", app + "/scale", this::saveScale),
        Route.of("GET", app + "/ingress", this::ingress),
        Route.of("POST", app + "/ingress", this::saveIngress));
  }

  private void scale(PortalRequest request) {
    AppView app = AppView.load(request);
    JsonNode scale = app.properties().at("/template/scale");
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "scale", "Scale"));
    params.put("app", app);
    params.put("min", scale.path("minReplicas").asText("0"));
    params.put("max", scale.path("maxReplicas").asText("10"));
    List<String> rules = new ArrayList<>();
    scale.path("rules").forEach(r -> rules.add(r.path("name").asText()));
    params.put("rules", rules);
    params.put(
        "mayWrite", Permissions.at(request.arm(), app.armId()).allows(Permissions.APP_WRITE));
    pages.send(request.exchange(), 200, "app/scale.jte", params);
  }

  private void saveScale(PortalRequest request) {
    AppView app = AppView.load(request);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode scale = body.putObject("properties").putObject("template").putObject("scale");
    number(scale, "minReplicas", request.form().get("min").orElse("0"));
    number(scale, "maxReplicas", request.form().get("max").orElse("10"));
    request.arm().patch(app.armId() + "?" + AppView.API, body, false);
    ContainerAppPages.redirect(request, app.href("revisions"));
  }

  private void ingress(PortalRequest request) {
    AppView app = AppView.load(request);
    JsonNode ingress = app.properties().at("/configuration/ingress");
    List<Rule> rules = new ArrayList<>();
    for (JsonNode t : ingress.path("traffic")) {
      rules.add(
          new Rule(
              t.path("revisionName").asText(""),
              t.path("latestRevision").asBoolean(false),
              t.path("weight").asText("0"),
              t.path("label").asText("")));
    }
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "ingress", "Ingress and traffic"));
    params.put("app", app);
    params.put("enabled", !ingress.isMissingNode() && !ingress.isNull());
    params.put("external", ingress.path("external").asBoolean(false));
    params.put("targetPort", ingress.path("targetPort").asText(""));
    params.put("url", settings.appUrl(ingress.path("fqdn").asText("")));
    params.put("rules", rules);
    params.put(
        "mayWrite", Permissions.at(request.arm(), app.armId()).allows(Permissions.APP_WRITE));
    pages.send(request.exchange(), 200, "app/ingress.jte", params);
  }

  private void saveIngress(PortalRequest request) {
    AppView app = AppView.load(request);
    Form f = request.form();
    ObjectNode body = JSON.createObjectNode();
    ObjectNode ingress =
        body.putObject("properties").putObject("configuration").putObject("ingress");
    ingress.put("external", f.get("external").orElse("").equals("true"));
    number(ingress, "targetPort", f.get("targetPort").orElse("80"));
    ArrayNode traffic = ingress.putArray("traffic");
    List<String> revisions = f.all("ruleRevision");
    List<String> weights = f.all("ruleWeight");
    List<String> labels = f.all("ruleLabel");
    for (int i = 0; i < revisions.size(); i++) {
      ObjectNode rule = traffic.addObject();
      String revision = revisions.get(i);
      if (revision.isEmpty()) {
        rule.put("latestRevision", true);
      } else {
        rule.put("revisionName", revision);
      }
      number(rule, "weight", i < weights.size() ? weights.get(i) : "0");
      String label = i < labels.size() ? labels.get(i).strip() : "";
      if (!label.isEmpty()) {
        rule.put("label", label);
      }
    }
    request.arm().patch(app.armId() + "?" + AppView.API, body);
    ContainerAppPages.redirect(request, app.href("ingress"));
  }

  /** A whole number as a number; anything else as typed, for the API to refuse in its words. */
  private static void number(ObjectNode node, String field, String value) {
    try {
      node.put(field, Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      node.put(field, value);
    }
  }
}
