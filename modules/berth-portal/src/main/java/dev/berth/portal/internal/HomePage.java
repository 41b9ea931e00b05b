package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The home page: the subscriptions the signed-in person can see, their resource groups, and the
 * resources Berth serves, filtered by a search over names. What RBAC hides from the person's token
 * the page does not show. Thread-safe.
 */
public final class HomePage {

  /** The resource types the home page lists, with the words the portal uses for them. */
  private static final List<Kind> KINDS =
      List.of(
          new Kind("Container App", "Microsoft.App/containerApps", "2024-03-01"),
          new Kind("Container Apps Environment", "Microsoft.App/managedEnvironments", "2024-03-01"),
          new Kind("Container registry", "Microsoft.ContainerRegistry/registries", "2023-07-01"),
          new Kind(
              "Managed Identity",
              "Microsoft.ManagedIdentity/userAssignedIdentities",
              "2023-01-31"));

  record Kind(String label, String type, String apiVersion) {}

  /** One row of the resource list. */
  public record Row(String name, String kind, String group, String location, String href) {}

  /** One subscription and what it holds, as the page shows it. */
  /**
   * One subscription and what it holds, as the page shows it; {@code note} says why the lists are
   * empty when the API refused them (a person whose roles are all inside one resource group).
   */
  public record Subscription(
      String name, String id, List<Link> groups, List<Row> resources, String note) {}

  private final Pages pages;

  HomePage(Pages pages) {
    this.pages = pages;
  }

  List<Route<PageHandler>> routes() {
    return List.of(Route.of("GET", "/portal", this::show));
  }

  private void show(PortalRequest request) {
    String search = request.exchange().query("q").orElse("").strip();
    List<Subscription> subscriptions = new ArrayList<>();
    for (JsonNode s : request.arm().list("/subscriptions?api-version=2022-12-01")) {
      String id = s.path("subscriptionId").asText();
      try {
        subscriptions.add(subscription(request, s, search));
      } catch (ArmCallException e) {
        subscriptions.add(
            new Subscription(
                s.path("displayName").asText(id),
                id,
                List.of(),
                List.of(),
                "You may not list this subscription's resources ("
                    + e.code()
                    + "). Open a resource group or resource you were given by its address."));
      }
    }
    Chrome chrome = Chrome.of("Home", request.session(), List.of());
    pages.send(
        request.exchange(),
        200,
        "home.jte",
        Map.of("chrome", chrome, "search", search, "subscriptions", subscriptions));
  }

  private static Subscription subscription(PortalRequest request, JsonNode s, String search) {
    String id = s.path("subscriptionId").asText();
    List<Link> groups = new ArrayList<>();
    for (JsonNode g :
        request.arm().list("/subscriptions/" + id + "/resourcegroups?api-version=2022-09-01")) {
      if (matches(g.path("name").asText(), search)) {
        groups.add(
            Link.to(g.path("name").asText(), ResourcePaths.portalHref(g.path("id").asText())));
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Kind kind : KINDS) {
      for (JsonNode r :
          request
              .arm()
              .list(
                  "/subscriptions/"
                      + id
                      + "/providers/"
                      + kind.type()
                      + "?api-version="
                      + kind.apiVersion())) {
        String name = r.path("name").asText();
        String group = ResourcePaths.group(r.path("id").asText());
        // The search reads like Azure's: a resource's name, its type's words or its group.
        if (matches(name, search) || matches(kind.label(), search) || matches(group, search)) {
          rows.add(
              new Row(
                  name,
                  kind.label(),
                  group,
                  r.path("location").asText(),
                  ResourcePaths.portalHref(r.path("id").asText())));
        }
      }
    }
    return new Subscription(s.path("displayName").asText(id), id, groups, rows, "");
  }

  /** The portal's words for a resource type, or the type itself for one it has no page for. */
  static String label(String type) {
    return KINDS.stream()
        .filter(k -> k.type().equalsIgnoreCase(type))
        .map(Kind::label)
        .findFirst()
        .orElse(type);
  }

  static boolean matches(String name, String search) {
    return search.isEmpty()
        || name.toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT));
  }
}
