package dev.berth.portal.internal;

import dev.berth.http.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Containers blade, Edit and deploy: the form, its pickers (registry → repositories → tags,
 * reloaded by htmx), and the save — with the seed's check first when a managed identity pulls from
 * a Berth registry: the system identity turned on if it is chosen and missing, the registry asked
 * whether that identity can pull, {@code AcrPull} assigned when it cannot and the person may (or
 * the missing assignment named when not), then the merge patch that makes a new revision.
 * Thread-safe (stateless).
 */
final class EditAndDeploy {

  private final Pages pages;
  private final RegistryPickers pickers;

  EditAndDeploy(Pages pages, RegistryPickers pickers) {
    this.pages = pages;
    this.pickers = pickers;
  }

  List<Route<PageHandler>> routes() {
    String blade = ContainerAppPages.APP + "/containers";
    return List.of(
        Route.of("GET", blade, this::show),
        Route.of("POST", blade, this::save),
        Route.of("GET", blade + "/repositories", this::repositories),
        Route.of("GET", blade + "/tags", this::tags));
  }

  private void show(PortalRequest request) {
    AppView app = AppView.load(request);
    List<DeployForm.RegistryOption> registries = registries(request);
    DeployForm form = DeployForm.of(app, registries);
    boolean saved = request.exchange().query("saved").isPresent();
    PullAccessCheck.Outcome outcome = null;
    boolean check = request.exchange().query("check").isPresent();
    if (check && form.pullsWithIdentity()) {
      // Right after a create: the app's identity exists now, so the seed's check can run.
      outcome = check(request, app, form).filter(o -> !o.allowed()).orElse(null);
    }
    render(request, app, registries, form, outcome, saved || (check && outcome == null), 200);
  }

  private void save(PortalRequest request) {
    AppView app = AppView.load(request);
    List<DeployForm.RegistryOption> registries = registries(request);
    DeployForm form = DeployForm.of(request.form());
    String decision = request.form().get("decision").orElse("save");
    String imageRef;
    if (form.source().equals(DeployForm.BERTH)) {
      Optional<DeployForm.RegistryOption> registry =
          registries.stream().filter(r -> r.id().equalsIgnoreCase(form.registryId())).findFirst();
      if (registry.isEmpty() || form.repository().isEmpty()) {
        throw new dev.berth.client.ArmCallException(
            400, "InvalidParameter", "Choose a registry and a repository of it.");
      }
      imageRef = form.imageFor(registry.get().loginServer());
    } else {
      imageRef = form.image();
    }
    if (form.pullsWithIdentity() && !decision.equals("insist")) {
      if (form.identity().equalsIgnoreCase("system") && !app.hasSystemIdentity()) {
        // The seed's flow: choosing the system identity turns it on, so it has a principal to
        // grant.
        DiagnosisFixes.attach(request.arm(), app, true, null);
        app = AppView.load(request);
      }
      PullAccessCheck.Outcome outcome =
          check(request, app, form)
              .orElseThrow(
                  () ->
                      new dev.berth.client.ArmCallException(
                          400,
                          "InvalidParameter",
                          "The identity '" + form.identity() + "' is not attached to this app."));
      if (!outcome.allowed() && decision.equals("assign") && outcome.mayAssign()) {
        DiagnosisFixes.assignAcrPull(request.arm(), form.registryId(), outcome.principalId());
      } else if (!outcome.allowed()) {
        render(request, app, registries, form, outcome, false, 409);
        return;
      }
    }
    request.arm().patch(app.armId() + "?" + AppView.API, form.patch(app, imageRef), false);
    ContainerAppPages.redirect(request, app.href("containers") + "?saved=1");
  }

  /** The registry's answer for the form's identity; empty when the app lacks that identity. */
  private static Optional<PullAccessCheck.Outcome> check(
      PortalRequest request, AppView app, DeployForm form) {
    String label =
        form.identity().equalsIgnoreCase("system")
            ? "The system-assigned identity of " + app.name()
            : "The user-assigned identity " + Diagnoses.last(form.identity());
    return app.principalOf(form.identity())
        .map(
            principal ->
                PullAccessCheck.run(
                    request.arm(), form.registryId(), form.repository(), principal, label));
  }

  private void render(
      PortalRequest request,
      AppView app,
      List<DeployForm.RegistryOption> registries,
      DeployForm form,
      PullAccessCheck.Outcome outcome,
      boolean saved,
      int status) {
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "containers", "Containers: Edit and deploy"));
    params.put("app", app);
    params.put("form", form);
    params.put("registries", registries);
    String loginServer = loginServer(registries, form.registryId());
    params.put("repositories", pickers.repositories(request, loginServer));
    params.put(
        "tags",
        form.repository().isEmpty()
            ? new RegistryPickers.Listing(List.of(), "")
            : pickers.tags(request, loginServer, form.repository()));
    params.put("secrets", secretNames(app));
    params.put("outcome", outcome);
    params.put("saved", saved);
    params.put(
        "mayWrite", Permissions.at(request.arm(), app.armId()).allows(Permissions.APP_WRITE));
    pages.send(request.exchange(), status, "app/containers.jte", params);
  }

  /** The repository picker (with an empty tag picker), for the registry chosen. */
  private void repositories(PortalRequest request) {
    AppView app = AppView.load(request);
    List<DeployForm.RegistryOption> registries = registries(request);
    String registry = request.exchange().query("registry").orElse("");
    Map<String, Object> params = new HashMap<>();
    params.put("app", app);
    params.put("repository", "");
    params.put("repositories", pickers.repositories(request, loginServer(registries, registry)));
    params.put("oob", true);
    fragment(request, "app/repositories.jte", params);
  }

  private void tags(PortalRequest request) {
    List<DeployForm.RegistryOption> registries = registries(request);
    String registry = request.exchange().query("registry").orElse("");
    String repository = request.exchange().query("repository").orElse("");
    Map<String, Object> params = new HashMap<>();
    params.put("tag", "");
    params.put(
        "tags",
        repository.isEmpty()
            ? new RegistryPickers.Listing(List.of(), "")
            : pickers.tags(request, loginServer(registries, registry), repository));
    fragment(request, "app/tags.jte", params);
  }

  private void fragment(PortalRequest request, String template, Map<String, Object> params) {
    byte[] body = pages.render(template, params);
    Pages.securityHeaders(request.exchange());
    request.exchange().send(200, "text/html; charset=utf-8", body);
  }

  private List<DeployForm.RegistryOption> registries(PortalRequest request) {
    return pickers.registries(
        request, request.exchange().pathVar("sub"), request.exchange().pathVar("rg"));
  }

  /** The login server of a registry the API listed: the token only ever goes to one of those. */
  private static String loginServer(List<DeployForm.RegistryOption> registries, String id) {
    return registries.stream()
        .filter(r -> r.id().equalsIgnoreCase(id))
        .map(DeployForm.RegistryOption::loginServer)
        .findFirst()
        .orElse("");
  }

  private static List<String> secretNames(AppView app) {
    return java.util.stream.StreamSupport.stream(
            app.properties().at("/configuration/secrets").spliterator(), false)
        .map(s -> s.path("name").asText())
        .toList();
  }
}
