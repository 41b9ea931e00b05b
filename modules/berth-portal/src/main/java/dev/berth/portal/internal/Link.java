package dev.berth.portal.internal;

/**
 * A link in the portal's chrome: a breadcrumb or an entry of a blade menu. Immutable.
 *
 * @param label what it reads
 * @param href where it goes (a portal path)
 * @param current whether it is the page shown ({@code aria-current="page"})
 */
public record Link(String label, String href, boolean current) {

  public static Link to(String label, String href) {
    return new Link(label, href, false);
  }
}
