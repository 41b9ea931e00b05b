package dev.berth.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An ARM resource id such as {@code
 * /subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/a}, parsed once into
 * segments. ARM compares ids case-insensitively but returns the caller's casing, so {@link
 * #value()} keeps the casing it was given and {@link #key()} is the form to compare and index.
 * Immutable and thread-safe.
 *
 * <p>Grammar (<a
 * href="https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/resource-api-reference.md">ARM
 * RPC, resource API reference</a>): the tenant root {@code /}; {@code /subscriptions/{id}}; {@code
 * /subscriptions/{id}/resourceGroups/{name}}; and any of these followed by {@code
 * /providers/{Namespace}/{type}/{name}[/{childType}/{childName}]…}. Extension resources (a role
 * assignment on a registry) repeat the {@code /providers/…} part.
 */
public record ResourceId(String value, List<String> segments) {

  /** The type of the tenant root scope {@code /}. */
  public static final String TENANT_TYPE = "Microsoft.Resources/tenants";

  public static final String SUBSCRIPTION_TYPE = "Microsoft.Resources/subscriptions";
  public static final String RESOURCE_GROUP_TYPE = "Microsoft.Resources/resourceGroups";

  private static final ResourceId ROOT = new ResourceId("/", List.of());

  public ResourceId {
    segments = List.copyOf(segments);
  }

  /** The tenant root scope {@code /}. */
  public static ResourceId root() {
    return ROOT;
  }

  public static ResourceId subscription(String subscriptionId) {
    return parse("/subscriptions/" + subscriptionId);
  }

  public static ResourceId resourceGroup(String subscriptionId, String resourceGroup) {
    return parse("/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup);
  }

  /**
   * Parses a resource id or scope. Leading and trailing slashes are optional; empty segments are
   * refused.
   *
   * @throws IllegalArgumentException when the text is not a resource id
   */
  public static ResourceId parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("resource id is null");
    }
    String trimmed = text.strip();
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      return ROOT;
    }
    List<String> parts = List.of(trimmed.split("/", -1));
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("resource id '" + text + "' has an empty segment");
      }
      // The id's text is stripped as a whole: a segment ending (or made) in white space would
      // lose it when the id is read back, and no ARM name begins or ends with a space.
      if (!part.equals(part.strip())) {
        throw new IllegalArgumentException(
            "resource id '" + text + "' has a segment that begins or ends with white space");
      }
    }
    validateShape(text, parts);
    return new ResourceId("/" + trimmed, parts);
  }

  /** Parses like {@link #parse} but answers empty instead of throwing. */
  public static Optional<ResourceId> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void validateShape(String text, List<String> parts) {
    int i = 0;
    if (eq(parts.get(0), "subscriptions")) {
      if (parts.size() < 2) {
        throw new IllegalArgumentException("resource id '" + text + "' names no subscription");
      }
      i = 2;
      if (parts.size() > 2 && eq(parts.get(2), "resourceGroups")) {
        if (parts.size() < 4) {
          throw new IllegalArgumentException("resource id '" + text + "' names no resource group");
        }
        i = 4;
      }
    }
    while (i < parts.size()) {
      if (!eq(parts.get(i), "providers") || i + 3 >= parts.size()) {
        throw new IllegalArgumentException("'" + text + "' is not a valid resource id");
      }
      i += 2; // providers/{namespace}
      // then (type, name) pairs until the next "providers"
      int pairs = 0;
      while (i < parts.size() && !(pairs > 0 && eq(parts.get(i), "providers"))) {
        if (i + 1 >= parts.size()) {
          throw new IllegalArgumentException(
              "resource id '" + text + "' ends with a type, not a name");
        }
        i += 2;
        pairs++;
      }
    }
  }

  /** The id lower-cased: the form to compare, index and store keys under. */
  public String key() {
    return value.toLowerCase(Locale.ROOT);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  public Optional<String> subscriptionId() {
    return segments.size() >= 2 && eq(segments.get(0), "subscriptions")
        ? Optional.of(segments.get(1))
        : Optional.empty();
  }

  public Optional<String> resourceGroupName() {
    return segments.size() >= 4
            && eq(segments.get(0), "subscriptions")
            && eq(segments.get(2), "resourceGroups")
        ? Optional.of(segments.get(3))
        : Optional.empty();
  }

  /** The id of the subscription this resource lives in, if any. */
  public Optional<ResourceId> subscription() {
    return subscriptionId().map(ResourceId::subscription);
  }

  /** The id of the resource group this resource lives in (itself for a resource group). */
  public Optional<ResourceId> resourceGroup() {
    return resourceGroupName().map(rg -> resourceGroup(segments.get(1), rg));
  }

  /**
   * The positions of the {@code providers} keywords, walking the grammar so that a resource that
   * happens to be named "providers" is not mistaken for one.
   */
  private static List<Integer> providerKeywords(List<String> parts) {
    List<Integer> found = new ArrayList<>();
    int i = 0;
    if (!parts.isEmpty() && eq(parts.get(0), "subscriptions")) {
      i = (parts.size() > 2 && eq(parts.get(2), "resourceGroups")) ? 4 : 2;
    }
    while (i < parts.size()) {
      found.add(i);
      i += 2; // providers/{namespace}
      int pairs = 0;
      while (i < parts.size() && !(pairs > 0 && eq(parts.get(i), "providers"))) {
        i += 2;
        pairs++;
      }
    }
    return found;
  }

  private int lastProvidersIndex() {
    List<Integer> keywords = providerKeywords(segments);
    return keywords.isEmpty() ? -1 : keywords.get(keywords.size() - 1);
  }

  /** The provider namespace, such as {@code Microsoft.App}, or {@code Microsoft.Resources}. */
  public String namespace() {
    int p = lastProvidersIndex();
    return p < 0 ? "Microsoft.Resources" : segments.get(p + 1);
  }

  /**
   * The full resource type: {@code Microsoft.App/containerApps}, {@code
   * Microsoft.App/containerApps/revisions}, {@code Microsoft.Resources/resourceGroups}.
   */
  public String type() {
    int p = lastProvidersIndex();
    if (p < 0) {
      return switch (segments.size()) {
        case 0 -> TENANT_TYPE;
        case 2 -> SUBSCRIPTION_TYPE;
        default -> RESOURCE_GROUP_TYPE;
      };
    }
    StringBuilder type = new StringBuilder(segments.get(p + 1));
    for (int i = p + 2; i < segments.size(); i += 2) {
      type.append('/').append(segments.get(i));
    }
    return type.toString();
  }

  /** The last name in the id: the resource's own name ({@code ""} for the root). */
  public String name() {
    return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
  }

  /**
   * The scope this resource extends or is nested in: a child's parent resource, a resource's group,
   * a group's subscription, a subscription's root. Empty only for the root.
   */
  public Optional<ResourceId> parent() {
    if (segments.isEmpty()) {
      return Optional.empty();
    }
    if (segments.size() == 2 && !eq(segments.get(0), "providers")) {
      return Optional.of(ROOT);
    }
    List<String> up = new ArrayList<>(segments.subList(0, segments.size() - 2));
    if (up.size() >= 2 && providerKeywords(segments).contains(up.size() - 2)) {
      up = up.subList(0, up.size() - 2);
    }
    return Optional.of(up.isEmpty() ? ROOT : new ResourceId("/" + String.join("/", up), up));
  }

  /** A nested child: {@code app.child("revisions", "app--x")}. */
  public ResourceId child(String childType, String childName) {
    return parse(value + "/" + childType + "/" + childName);
  }

  /** An extension or provider resource under this scope: {@code scope/providers/ns/type/name}. */
  public ResourceId provider(String namespace, String type, String name) {
    return parse((isRoot() ? "" : value) + "/providers/" + namespace + "/" + type + "/" + name);
  }

  /** True when {@code other} is this id or lies beneath it; compared case-insensitively. */
  public boolean contains(ResourceId other) {
    if (isRoot()) {
      return true;
    }
    String mine = key();
    String theirs = other.key();
    return theirs.equals(mine) || theirs.startsWith(mine + "/");
  }

  /** This id and every scope above it, nearest first, ending with the root. */
  public List<ResourceId> selfAndAncestors() {
    List<ResourceId> all = new ArrayList<>();
    Optional<ResourceId> at = Optional.of(this);
    while (at.isPresent()) {
      all.add(at.get());
      at = at.get().parent();
    }
    return all;
  }

  private static boolean eq(String a, String b) {
    return a.equalsIgnoreCase(b);
  }

  /** Equal ids differ at most in casing. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceId other && key().equals(other.key());
  }

  @Override
  public int hashCode() {
    return key().hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
