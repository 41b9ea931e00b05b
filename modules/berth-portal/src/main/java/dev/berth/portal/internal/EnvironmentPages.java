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
 * A Container Apps environment's Overview (its default domain and the addresses Berth gave it) and
 * its Apps: the container apps of its subscription whose {@code environmentId} is this environment,
 * each linked to its own pages. Thread-safe.
 */
public final class EnvironmentPages {

  static final String TYPE = "Microsoft.App/managedEnvironments";
  static final String API = "?api-version=2024-03-01";
  static final String BASE =
      "/portal/resource/subscriptions/{sub}/resourceGroups/{rg}/providers/" + TYPE + "/{name}";
  static final List<String[]> MENU =
      List.of(
          new String[] {"Overview", ""},
          new String[] {"Apps", "apps"},
          new String[] {"Access control (IAM)", "access-control"});

  /** One app of the environment as the Apps blade lists it. */
  public record AppRow(String name, String href, String group, String status, String url) {}

  private final Pages pages;
  private final PortalSettings settings;

  EnvironmentPages(Pages pages, PortalSettings settings) {
    this.pages = pages;
    this.settings = settings;
  }

  List<Route<PageHandler>> routes() {
    List<Route<PageHandler>> routes = new ArrayList<>();
    routes.add(Route.of("GET", BASE, this::overview));
    routes.add(Route.of("GET", BASE + "/apps", this::apps));
    routes.addAll(new AccessControlPages(pages, TYPE, BASE, MENU).routes());
    return routes;
  }

  private static ResourceRef ref(PortalRequest request) {
    return ResourceRef.of(request.exchange(), TYPE).orElseThrow(RegistryPages::notFound);
  }

  private void overview(PortalRequest request) {
    ResourceRef ref = ref(request);
    JsonNode env = request.arm().get(ref.id() + API);
    JsonNode p = env.path("properties");
    Map<String, Object> params = new HashMap<>();
    params.put("defaultDomain", p.path("defaultDomain").asText());
    params.put("staticIp", p.path("staticIp").asText());
    params.put("outboundAddress", p.path("outboundAddress").asText(""));
    params.put("provisioningState", p.path("provisioningState").asText());
    params.put("location", env.path("location").asText());
    Blades.send(pages, request, ref, MENU, "", "environment/overview.jte", params);
  }

  private void apps(PortalRequest request) {
    ResourceRef ref = ref(request);
    request.arm().get(ref.id() + API); // the environment's own 404 or 403, in the API's words
    List<AppRow> rows = new ArrayList<>();
    String note = "";
    List<JsonNode> apps = new ArrayList<>();
    try {
      request
          .arm()
          .list(
              "/subscriptions/"
                  + ref.subscription()
                  + "/providers/Microsoft.App/containerApps"
                  + API)
          .forEach(apps::add);
    } catch (ArmCallException e) {
      // A person who may read only this environment's group still sees the apps there.
      request
          .arm()
          .list(ref.groupId() + "/providers/Microsoft.App/containerApps" + API)
          .forEach(apps::add);
      note =
          "Only the apps in resource group "
              + ref.group()
              + ": you may not list the subscription's ("
              + e.code()
              + ").";
    }
    for (JsonNode app : apps) {
      JsonNode p = app.path("properties");
      String env = p.path("environmentId").asText(p.path("managedEnvironmentId").asText(""));
      if (!env.equalsIgnoreCase(ref.id())) {
        continue;
      }
      String id = app.path("id").asText();
      String fqdn = p.path("configuration").path("ingress").path("fqdn").asText("");
      rows.add(
          new AppRow(
              app.path("name").asText(),
              ResourcePaths.portalHref(id),
              ResourcePaths.group(id),
              p.path("runningStatus").asText(p.path("provisioningState").asText("")),
              settings.appUrl(fqdn)));
    }
    Blades.send(
        pages,
        request,
        ref,
        MENU,
        "apps",
        "environment/apps.jte",
        Map.of("apps", rows, "note", note));
  }
}
