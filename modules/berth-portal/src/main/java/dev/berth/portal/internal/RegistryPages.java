package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import dev.berth.portal.PortalSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container registry's Overview and Repositories blades, and the route table of every registry
 * blade (the others live in {@link RegistryAccessPages} and {@link AccessControlPages}). Reads
 * through the ARM API and, for repositories and tags, the registry's own data plane, both as the
 * signed-in person. Thread-safe.
 */
final class RegistryPages {

  static final String TYPE = "Microsoft.ContainerRegistry/registries";
  static final String API = "?api-version=2023-07-01";
  static final String BASE =
      "/portal/resource/subscriptions/{sub}/resourceGroups/{rg}/providers/" + TYPE + "/{name}";

  /** The registry's blade menu: label and blade ("" = Overview). */
  static final List<String[]> MENU =
      List.of(
          new String[] {"Overview", ""},
          new String[] {"Repositories", "repositories"},
          new String[] {"Access keys", "access-keys"},
          new String[] {"Policies", "policies"},
          new String[] {"Networking", "networking"},
          new String[] {"Access control (IAM)", "access-control"});

  private final Pages pages;
  private final PortalSettings settings;

  RegistryPages(Pages pages, PortalSettings settings) {
    this.pages = pages;
    this.settings = settings;
  }

  List<Route<PageHandler>> routes() {
    List<Route<PageHandler>> routes = new ArrayList<>();
    routes.add(Route.of("GET", BASE, this::overview));
    routes.add(Route.of("GET", BASE + "/repositories", this::repositories));
    routes.addAll(new RegistryAccessPages(pages).routes());
    routes.addAll(new AccessControlPages(pages, TYPE, BASE, MENU).routes());
    return routes;
  }

  /** The registry the request's path names; a name no registry can have is the portal's 404. */
  static ResourceRef ref(PortalRequest request) {
    return ResourceRef.of(request.exchange(), TYPE).orElseThrow(RegistryPages::notFound);
  }

  static ArmCallException notFound() {
    return new ArmCallException(404, "NotFound", "The portal has no page at this address.");
  }

  /** The registry's document, as the person may read it. */
  static JsonNode registry(PortalRequest request, ResourceRef ref) {
    return request.arm().get(ref.id() + API);
  }

  private void overview(PortalRequest request) {
    ResourceRef ref = ref(request);
    JsonNode r = registry(request, ref);
    JsonNode p = r.path("properties");
    Map<String, Object> params = new HashMap<>();
    params.put("loginServer", p.path("loginServer").asText());
    params.put("sku", r.path("sku").path("name").asText());
    params.put("location", r.path("location").asText());
    params.put("provisioningState", p.path("provisioningState").asText());
    params.put("adminUserEnabled", p.path("adminUserEnabled").asBoolean());
    params.put("publicNetworkAccess", p.path("publicNetworkAccess").asText("Enabled"));
    params.put("armPolicy", armPolicy(p));
    params.put("created", p.path("creationDate").asText());
    Blades.send(pages, request, ref, MENU, "", "registry/overview.jte", params);
  }

  /**
   * The ARM-token policy's status ({@code enabled} | {@code disabled}) as the registry holds it.
   */
  static String armPolicy(JsonNode properties) {
    return properties
        .path("policies")
        .path("azureADAuthenticationAsArmPolicy")
        .path("status")
        .asText("enabled");
  }

  private void repositories(PortalRequest request) {
    ResourceRef ref = ref(request);
    JsonNode p = registry(request, ref).path("properties");
    String selected = request.exchange().query("repository").orElse("");
    if (!selected.isEmpty() && !RegistryDataPlane.validRepository(selected)) {
      throw new ArmCallException(
          400, "NAME_INVALID", "'" + selected + "' is not a valid repository name.");
    }
    Map<String, Object> params = new HashMap<>();
    params.put("loginServer", p.path("loginServer").asText());
    params.put("armPolicy", armPolicy(p));
    params.put("selected", selected);
    Optional<RegistryDataPlane.Problem> problem = Optional.empty();
    List<String> repositories = List.of();
    List<RegistryDataPlane.TagRow> tags = List.of();
    try {
      RegistryDataPlane registry =
          RegistryDataPlane.login(
              settings, p.path("loginServer").asText(), request.session().accessToken());
      repositories = registry.repositories();
      if (!selected.isEmpty()) {
        tags = registry.tags(selected);
      }
    } catch (RuntimeException e) {
      problem = Optional.of(RegistryDataPlane.problem(e));
    }
    params.put("problem", problem.orElse(null));
    params.put("repositories", repositories);
    params.put("tags", tags);
    Blades.send(pages, request, ref, MENU, "repositories", "registry/repositories.jte", params);
  }
}
