package dev.berth.portal.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders one blade of a resource: the layout's chrome with the resource's blade menu and the
 * breadcrumbs Home › resource group › resource, around the blade's own template. Stateless.
 */
final class Blades {

  private Blades() {}

  /**
   * Sends {@code template} for the blade {@code blade} ("" = Overview) of {@code ref}, whose menu
   * is {@code menu}; {@code params} are the template's own, {@code chrome} is added.
   */
  static void send(
      Pages pages,
      PortalRequest request,
      ResourceRef ref,
      List<String[]> menu,
      String blade,
      String template,
      Map<String, Object> params) {
    String title = blade.isEmpty() ? ref.name() : label(menu, blade);
    Chrome chrome =
        Chrome.of(title, request.session(), ref.breadcrumbs(!blade.isEmpty()))
            .withBlades(ref.name(), ref.blades(menu, blade));
    Map<String, Object> all = new HashMap<>(params);
    all.put("chrome", chrome);
    all.put("ref", ref);
    pages.send(request.exchange(), 200, template, all);
  }

  private static String label(List<String[]> menu, String blade) {
    return menu.stream().filter(b -> b[1].equals(blade)).map(b -> b[0]).findFirst().orElse(blade);
  }

  /** Post/redirect/get: after a write, the browser loads the blade again with a GET. */
  static void redirect(PortalRequest request, String href) {
    Pages.securityHeaders(request.exchange());
    request.exchange().setHeader("Location", href);
    request.exchange().sendEmpty(303);
  }
}
