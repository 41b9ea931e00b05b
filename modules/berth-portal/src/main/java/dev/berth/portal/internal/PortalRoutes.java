package dev.berth.portal.internal;

import dev.berth.http.Route;
import dev.berth.portal.PortalSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Every page route of the portal, assembled in one place: each family of pages contributes its
 * routes here. Routes past the sign-in need a session; the handler checks it before any of these.
 */
final class PortalRoutes {

  private PortalRoutes() {}

  static List<Route<PageHandler>> all(Pages pages, PortalSettings settings) {
    List<Route<PageHandler>> routes = new ArrayList<>();
    routes.addAll(new HomePage(pages).routes());
    routes.addAll(new ResourceGroupPage(pages).routes());
    routes.addAll(new RegistryPages(pages, settings).routes());
    routes.addAll(new IdentityPages(pages).routes());
    routes.addAll(new EnvironmentPages(pages, settings).routes());
    routes.addAll(ContainerAppPages.create(pages, settings).routes());
    return routes;
  }
}
