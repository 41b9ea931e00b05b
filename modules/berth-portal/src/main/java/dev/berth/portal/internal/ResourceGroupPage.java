package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.http.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A resource group's page, at {@code /portal/resource/subscriptions/{sub}/resourceGroups/{rg}}: the
 * group's location and state and every resource in it the person may see, each linked to its page.
 * Thread-safe.
 */
final class ResourceGroupPage {

  private final Pages pages;

  ResourceGroupPage(Pages pages) {
    this.pages = pages;
  }

  List<Route<PageHandler>> routes() {
    return List.of(
        Route.of("GET", "/portal/resource/subscriptions/{sub}/resourceGroups/{rg}", this::show));
  }

  private void show(PortalRequest request) {
    ResourceRef ref =
        ResourceRef.of(request.exchange(), "Microsoft.Resources/resourceGroups")
            .orElseThrow(RegistryPages::notFound);
    JsonNode group = request.arm().get(ref.groupId() + "?api-version=2021-04-01");
    List<HomePage.Row> rows = new ArrayList<>();
    for (JsonNode r : request.arm().list(ref.groupId() + "/resources?api-version=2021-04-01")) {
      String id = r.path("id").asText();
      rows.add(
          new HomePage.Row(
              r.path("name").asText(),
              HomePage.label(r.path("type").asText()),
              ref.group(),
              r.path("location").asText(),
              ResourcePaths.portalHref(id)));
    }
    Chrome chrome = Chrome.of(ref.group(), request.session(), List.of(Link.to("Home", "/portal")));
    pages.send(
        request.exchange(),
        200,
        "group.jte",
        Map.of(
            "chrome",
            chrome,
            "location",
            group.path("location").asText(),
            "state",
            group.path("properties").path("provisioningState").asText(),
            "subscription",
            ref.subscription(),
            "resources",
            rows,
            "createApp",
            ResourcePaths.portalHref(ref.groupId())
                + "/providers/Microsoft.App/createContainerApp"));
  }
}
