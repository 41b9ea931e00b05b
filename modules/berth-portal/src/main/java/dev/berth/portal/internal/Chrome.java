package dev.berth.portal.internal;

import java.util.List;

/**
 * What the layout around every page shows: the title, the breadcrumbs, the resource's blade menu on
 * the left, and who is signed in with the session's CSRF token for the forms. Immutable.
 *
 * @param title the page's heading and document title
 * @param user the signed-in person, or empty on the sign-in pages
 * @param csrfToken the session's CSRF token, or empty when there is no session
 * @param breadcrumbs from the home page down to this page's parent
 * @param menuLabel what the blade menu is the menu of (the resource's name), or empty for none
 * @param blades the resource's blades, the current one marked; empty for pages with no menu
 */
public record Chrome(
    String title,
    String user,
    String csrfToken,
    List<Link> breadcrumbs,
    String menuLabel,
    List<Link> blades) {

  public Chrome {
    breadcrumbs = List.copyOf(breadcrumbs);
    blades = List.copyOf(blades);
  }

  /** A page with no session (sign-in, errors before sign-in). */
  public static Chrome anonymous(String title) {
    return new Chrome(title, "", "", List.of(), "", List.of());
  }

  /** A page of a signed-in session, with no blade menu. */
  public static Chrome of(String title, PortalSession session, List<Link> breadcrumbs) {
    return new Chrome(title, session.user(), session.csrfToken(), breadcrumbs, "", List.of());
  }

  /** This page with a resource's blade menu. */
  public Chrome withBlades(String label, List<Link> menu) {
    return new Chrome(title, user, csrfToken, breadcrumbs, label, menu);
  }
}
