package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates a container app in a resource group: name, environment, image from a Berth registry (or
 * any reference), pulled with the system identity or anonymously, and external ingress. With the
 * system identity the app is created first (only then does its principal exist) and the page goes
 * on to Edit and deploy's check, which offers AcrPull; the revision then heals in place. The API
 * checks every value and refuses in its words. Thread-safe (stateless).
 */
public final class AppCreatePage {

  /** An environment the app may join. */
  public record Environment(String id, String name, String location) {}

  static final String PATH =
      "/portal/resource/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.App/createContainerApp";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Pages pages;
  private final RegistryPickers pickers;

  AppCreatePage(Pages pages, RegistryPickers pickers) {
    this.pages = pages;
    this.pickers = pickers;
  }

  List<Route<PageHandler>> routes() {
    return List.of(Route.of("GET", PATH, this::show), Route.of("POST", PATH, this::create));
  }

  private String group(PortalRequest request) {
    return "/subscriptions/"
        + request.exchange().pathVar("sub")
        + "/resourceGroups/"
        + request.exchange().pathVar("rg");
  }

  private void show(PortalRequest request) {
    String group = group(request);
    List<Environment> environments = new ArrayList<>();
    for (JsonNode e :
        request.arm().list(group + "/providers/Microsoft.App/managedEnvironments?" + AppView.API)) {
      environments.add(
          new Environment(
              e.path("id").asText(), e.path("name").asText(), e.path("location").asText()));
    }
    Map<String, Object> params = new HashMap<>();
    params.put(
        "chrome",
        Chrome.of(
            "Create a container app",
            request.session(),
            List.of(
                Link.to("Home", "/portal"),
                Link.to(request.exchange().pathVar("rg"), ResourcePaths.portalHref(group)))));
    params.put(
        "action", ResourcePaths.portalHref(group) + "/providers/Microsoft.App/createContainerApp");
    params.put("environments", environments);
    params.put(
        "registries",
        pickers.registries(
            request, request.exchange().pathVar("sub"), request.exchange().pathVar("rg")));
    pages.send(request.exchange(), 200, "app/create.jte", params);
  }

  private void create(PortalRequest request) {
    Form f = request.form();
    String name = f.get("name").orElse("").strip();
    String environment = f.get("environment").orElse("");
    String appId = group(request) + "/providers/Microsoft.App/containerApps/" + name;
    JsonNode env = request.arm().get(environment + "?" + AppView.API);
    String image;
    String server = "";
    if (f.get("source").orElse("berth").equals("berth")) {
      String registryId = f.get("registry").orElse("");
      server =
          pickers
              .registries(
                  request, request.exchange().pathVar("sub"), request.exchange().pathVar("rg"))
              .stream()
              .filter(r -> r.id().equalsIgnoreCase(registryId))
              .map(DeployForm.RegistryOption::loginServer)
              .findFirst()
              .orElseThrow(
                  () ->
                      new ArmCallException(
                          400, "InvalidParameter", "Choose a registry of this subscription."));
      image =
          server
              + "/"
              + f.get("repository").orElse("").strip()
              + ":"
              + f.get("tag").orElse("latest").strip();
    } else {
      image = f.get("image").orElse("").strip();
    }
    boolean system = f.get("auth").orElse("identity").equals("identity") && !server.isEmpty();
    ObjectNode body = JSON.createObjectNode();
    body.put("location", env.path("location").asText("local"));
    if (system) {
      body.putObject("identity").put("type", "SystemAssigned");
    }
    ObjectNode props = body.putObject("properties");
    props.put("environmentId", env.path("id").asText(environment));
    ObjectNode configuration = props.putObject("configuration");
    configuration.put("activeRevisionsMode", "Single");
    if (system) {
      configuration
          .putArray("registries")
          .addObject()
          .put("server", server)
          .put("identity", "system");
    }
    String port = f.get("targetPort").orElse("");
    if (!port.isEmpty()) {
      ObjectNode ingress = configuration.putObject("ingress").put("external", true);
      try {
        ingress.put("targetPort", Integer.parseInt(port));
      } catch (NumberFormatException e) {
        ingress.put("targetPort", port); // the API refuses it in its own words
      }
    }
    ObjectNode template = props.putObject("template");
    ObjectNode container = template.putArray("containers").addObject();
    container.put("name", name).put("image", image);
    container.putObject("resources").put("cpu", 0.5).put("memory", "1Gi");
    template.putObject("scale").put("minReplicas", 1).put("maxReplicas", 1);
    request.arm().put(appId + "?" + AppView.API, body, false);
    // With the system identity, Edit and deploy's check follows: the principal exists now.
    ContainerAppPages.redirect(
        request, ResourcePaths.portalHref(appId) + (system ? "/containers?check=1" : ""));
  }
}
