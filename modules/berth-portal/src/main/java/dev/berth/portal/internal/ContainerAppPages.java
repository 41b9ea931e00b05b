package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import dev.berth.portal.PortalSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A container app's Overview and Revisions and replicas blades, the live status fragment they poll,
 * the revision actions (restart, activate, deactivate) and the diagnosis' one-click fixes. Every
 * read and write goes through the API as the signed-in person. Thread-safe (stateless).
 */
public final class ContainerAppPages {

  /** Where an app's pages live; {@code {sub}}, {@code {rg}}, {@code {app}} name it. */
  static final String APP =
      "/portal/resource/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.App/containerApps/{app}";

  /** The blades a fix may return to. */
  private static final List<String> BACK = List.of("revisions", "diagnose");

  private static final List<String> REVISION_ACTIONS = List.of("restart", "activate", "deactivate");

  /** A revision row of the Revisions blade. */
  public record RevisionRow(
      String name,
      boolean active,
      String provisioningState,
      String runningState,
      String healthState,
      int trafficWeight,
      String labels,
      String createdTime,
      String error,
      List<ReplicaRow> replicas,
      Diagnoses.RevisionDiagnosis diagnosis) {}

  /** A replica of a revision. */
  public record ReplicaRow(String name, String runningState, String details) {}

  private final Pages pages;
  private final PortalSettings settings;
  private final List<Route<PageHandler>> others;

  private ContainerAppPages(Pages pages, PortalSettings settings, List<Route<PageHandler>> others) {
    this.pages = pages;
    this.settings = settings;
    this.others = others;
  }

  /** The app's blades: these and the other families' (Edit and deploy, Identity, logs). */
  static ContainerAppPages create(Pages pages, PortalSettings settings) {
    List<Route<PageHandler>> others = new ArrayList<>();
    RegistryPickers pickers = new RegistryPickers(settings);
    others.addAll(new EditAndDeploy(pages, pickers).routes());
    others.addAll(new AppCreatePage(pages, pickers).routes());
    others.addAll(new AppIdentityPages(pages).routes());
    others.addAll(new AppLogPages(pages, settings).routes());
    others.addAll(new AppScalePages(pages, settings).routes());
    return new ContainerAppPages(pages, settings, others);
  }

  List<Route<PageHandler>> routes() {
    List<Route<PageHandler>> routes = new ArrayList<>();
    routes.add(Route.of("GET", APP, this::overview));
    routes.add(Route.of("GET", APP + "/revisions", this::revisions));
    routes.add(Route.of("GET", APP + "/status", this::status));
    routes.add(Route.of("POST", APP + "/revisions/{revision}/{action}", this::revisionAction));
    routes.add(Route.of("POST", APP + "/fix", this::fix));
    routes.addAll(others);
    return routes;
  }

  private void overview(PortalRequest request) {
    AppView app = AppView.load(request);
    JsonNode p = app.properties();
    Map<String, Diagnoses.RevisionDiagnosis> diagnoses = Diagnoses.of(request, app);
    List<Diagnoses.RevisionDiagnosis> failing =
        diagnoses.values().stream().filter(d -> !d.healthy()).toList();
    String environment = p.path("environmentId").asText(p.path("managedEnvironmentId").asText());
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "", app.name()));
    params.put("app", app);
    params.put("url", settings.appUrl(p.at("/configuration/ingress/fqdn").asText("")));
    params.put("environment", environment);
    params.put(
        "environmentHref", environment.isEmpty() ? "" : ResourcePaths.portalHref(environment));
    params.put("replicas", replicaCount(request, app));
    params.put("identity", identitySummary(app));
    params.put("failing", failing);
    params.put("statusHref", statusHref(request, app));
    pages.send(request.exchange(), 200, "app/overview.jte", params);
  }

  private void revisions(PortalRequest request) {
    AppView app = AppView.load(request);
    Map<String, Diagnoses.RevisionDiagnosis> diagnoses = Diagnoses.of(request, app);
    List<RevisionRow> rows = new ArrayList<>();
    for (JsonNode r : request.arm().list(app.armId() + "/revisions?" + AppView.API)) {
      JsonNode p = r.path("properties");
      String name = r.path("name").asText();
      List<ReplicaRow> replicas = new ArrayList<>();
      for (JsonNode x :
          request.arm().list(app.armId() + "/revisions/" + name + "/replicas?" + AppView.API)) {
        replicas.add(
            new ReplicaRow(
                x.path("name").asText(),
                x.at("/properties/runningState").asText(""),
                x.at("/properties/runningStateDetails").asText("")));
      }
      rows.add(
          new RevisionRow(
              name,
              p.path("active").asBoolean(false),
              p.path("provisioningState").asText(""),
              p.path("runningState").asText(""),
              p.path("healthState").asText(""),
              p.path("trafficWeight").asInt(0),
              p.path("labels").asText(""),
              p.path("createdTime").asText(""),
              p.path("provisioningError").asText(""),
              replicas,
              diagnoses.get(name)));
    }
    Permissions permissions = Permissions.at(request.arm(), app.armId());
    List<String> actions =
        REVISION_ACTIONS.stream()
            .filter(
                a -> permissions.allows("Microsoft.App/containerApps/revisions/" + a + "/action"))
            .toList();
    Map<String, Object> params = new HashMap<>();
    params.put("actions", actions);
    params.put("statusHref", statusHref(request, app));
    params.put("chrome", app.chrome(request, "revisions", "Revisions and replicas"));
    params.put("app", app);
    params.put("rows", rows);
    pages.send(request.exchange(), 200, "app/revisions.jte", params);
  }

  /** The live status fragment: polled every 2 s by htmx until the latest revision settles. */
  private void status(PortalRequest request) {
    AppView app = AppView.load(request);
    JsonNode p = app.properties();
    String latest = p.path("latestRevisionName").asText("");
    String running = "";
    if (!latest.isEmpty()) {
      try {
        running =
            request
                .arm()
                .get(app.armId() + "/revisions/" + latest + "?" + AppView.API)
                .at("/properties/runningState")
                .asText("");
      } catch (ArmCallException e) {
        running = "";
      }
    }
    String provisioning = p.path("provisioningState").asText("");
    // After a fix or a restart the page watches a Failed revision for a while longer (?watch=N
    // polls), since it heals in place a moment later.
    int watch = watchOf(request);
    // Settled once the write's operation ended and the revision left Processing (it runs, failed,
    // is degraded or stopped): then the fragment stops polling.
    boolean settled =
        !provisioning.equalsIgnoreCase("InProgress")
            && !running.isEmpty()
            && !running.equalsIgnoreCase("Processing")
            && !running.equalsIgnoreCase("Unknown")
            && !(watch > 0 && running.equalsIgnoreCase("Failed"));
    Map<String, Object> params = new HashMap<>();
    params.put("app", app);
    params.put("provisioning", provisioning);
    params.put("latest", latest);
    params.put("running", running);
    params.put("settled", settled);
    params.put("next", app.href("status") + (watch > 1 ? "?watch=" + (watch - 1) : ""));
    byte[] body = pages.render("app/status.jte", params);
    Pages.securityHeaders(request.exchange());
    request.exchange().send(200, "text/html; charset=utf-8", body);
  }

  private void revisionAction(PortalRequest request) {
    String action = request.exchange().pathVar("action");
    if (!REVISION_ACTIONS.contains(action)) {
      throw new ArmCallException(
          404, "NotFound", "Revisions have no action '" + action + "' in the portal.");
    }
    String id = AppView.idOf(request);
    String revision = request.exchange().pathVar("revision");
    request.arm().post(id + "/revisions/" + revision + "/" + action + "?" + AppView.API, null);
    redirect(request, ResourcePaths.portalHref(id) + "/revisions?restarted=1");
  }

  private void fix(PortalRequest request) {
    AppView app = AppView.load(request);
    Form form = request.form();
    DiagnosisFixes.apply(
        request.arm(),
        app,
        form.get("kind").orElse(""),
        form.get("target").orElse(""),
        form.get("principal").orElse(""));
    String back = form.get("back").filter(BACK::contains).orElse("");
    redirect(request, app.href(back) + "?fixed=1");
  }

  /** How many more polls a Failed revision is watched for (at most 30: a minute). */
  private static int watchOf(PortalRequest request) {
    try {
      return Math.max(
          0, Math.min(30, Integer.parseInt(request.exchange().query("watch").orElse("0"))));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The status fragment's first address: watching a while when the page follows a fix. */
  static String statusHref(PortalRequest request, AppView app) {
    boolean after =
        request.exchange().query("fixed").isPresent()
            || request.exchange().query("restarted").isPresent();
    return app.href("status") + (after ? "?watch=15" : "");
  }

  static void redirect(PortalRequest request, String location) {
    Pages.securityHeaders(request.exchange());
    request.exchange().setHeader("Location", location);
    request.exchange().sendEmpty(303);
  }

  private static int replicaCount(PortalRequest request, AppView app) {
    String latest = app.properties().path("latestRevisionName").asText("");
    if (latest.isEmpty()) {
      return 0;
    }
    try {
      return request
          .arm()
          .list(app.armId() + "/revisions/" + latest + "/replicas?" + AppView.API)
          .size();
    } catch (ArmCallException e) {
      return 0;
    }
  }

  private static String identitySummary(AppView app) {
    List<String> parts = new ArrayList<>();
    if (app.hasSystemIdentity()) {
      parts.add("System assigned (principal " + app.principalOf("system").orElse("?") + ")");
    }
    for (String id : app.userAssigned()) {
      parts.add("User assigned: " + Diagnoses.last(id));
    }
    return parts.isEmpty() ? "None" : String.join("; ", parts);
  }
}
