package dev.berth.portal.internal;

import java.util.Locale;

/**
 * Maps ARM resource ids to the portal's own addresses and back. A resource's pages live at {@code
 * /portal/resource<its ARM id>/<blade>}, so every id the API returns is a link. Stateless.
 */
public final class ResourcePaths {

  private ResourcePaths() {}

  /** The portal page of the resource {@code armId} (its overview). */
  public static String portalHref(String armId) {
    return "/portal/resource" + armId;
  }

  /** The resource group an ARM id names, or empty. */
  public static String group(String armId) {
    String[] parts = armId.split("/");
    for (int i = 0; i + 1 < parts.length; i++) {
      if (parts[i].toLowerCase(Locale.ROOT).equals("resourcegroups")) {
        return parts[i + 1];
      }
    }
    return "";
  }
}
