package dev.berth.portal.internal;

import dev.berth.http.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A resource a portal page is about, taken from the page's path variables ({@code sub}, {@code rg},
 * {@code name}) and its type: its ARM id, its pages' addresses, and the breadcrumbs down to it.
 * Immutable.
 *
 * @param subscription the subscription id
 * @param group the resource group
 * @param type the resource type, such as {@code Microsoft.ContainerRegistry/registries}
 * @param name the resource's name
 */
public record ResourceRef(String subscription, String group, String type, String name) {

  /**
   * What a path segment may hold to be put back into an API path as it is: ARM names of the types
   * these pages show never hold anything else, and nothing else may reach the URI the client
   * builds.
   */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._()-]{1,128}");

  /** The resource the exchange's path names, or empty when a segment is not a plain ARM name. */
  static Optional<ResourceRef> of(HttpExchange exchange, String type) {
    String sub = exchange.pathVar("sub");
    String rg = exchange.pathVar("rg");
    String name = exchange.pathVar("name");
    if (!plain(sub) || !plain(rg) || (name != null && !plain(name))) {
      return Optional.empty();
    }
    return Optional.of(new ResourceRef(sub, rg, type, name == null ? "" : name));
  }

  static boolean plain(String segment) {
    return segment != null && SEGMENT.matcher(segment).matches();
  }

  /** The resource group's ARM id. */
  public String groupId() {
    return "/subscriptions/" + subscription + "/resourceGroups/" + group;
  }

  /** The resource's ARM id. */
  public String id() {
    return groupId() + "/providers/" + type + "/" + name;
  }

  /** The address of one of the resource's pages; an empty blade is the Overview. */
  public String href(String blade) {
    return ResourcePaths.portalHref(id()) + (blade.isEmpty() ? "" : "/" + blade);
  }

  /** Home › resource group, then the resource itself when the page is one of its blades. */
  public List<Link> breadcrumbs(boolean withResource) {
    List<Link> crumbs = new ArrayList<>();
    crumbs.add(Link.to("Home", "/portal"));
    crumbs.add(Link.to(group, ResourcePaths.portalHref(groupId())));
    if (withResource) {
      crumbs.add(Link.to(name, href("")));
    }
    return crumbs;
  }

  /** The blade menu: each {@code (label, blade)} pair, the current one marked. */
  public List<Link> blades(List<String[]> labelsAndBlades, String current) {
    List<Link> menu = new ArrayList<>();
    for (String[] b : labelsAndBlades) {
      menu.add(new Link(b[0], href(b[1]), b[1].equals(current)));
    }
    return menu;
  }
}
