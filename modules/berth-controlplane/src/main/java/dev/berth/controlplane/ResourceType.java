package dev.berth.controlplane;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A resource type served by the generic ARM handler: its type path, the api-versions it accepts,
 * its name rule, whether writes are long-running, which properties clients may not set, and its
 * provider hooks. Immutable and thread-safe.
 *
 * @param type {@code Namespace/type[/childType]}, such as {@code
 *     Microsoft.ContainerRegistry/registries}
 * @param tracked tracked resources carry a {@code location} (required on PUT) and {@code tags}
 * @param longRunning writes start an operation: PUT answers 201 (create) or 200 (replace) with the
 *     polling headers, DELETE 202, PATCH {@code longRunningPatchStatus}
 * @param readOnlyProperties names under {@code properties} that clients' values are ignored for
 * @param providerActions subscription-level actions of the provider about this type
 * @param serverManaged documents Berth writes itself (such as revisions): clients may read, list
 *     and POST actions; PUT, PATCH and DELETE answer 405
 * @param routes the provider's own routes below a resource of this type (top-level types only)
 * @param longRunningPatchStatus what a long-running PATCH answers, as the type's REST spec lists
 *     it: 202 and no body (Microsoft.App: 200, 202), or 201 with the resource (ACR: 200, 201); the
 *     polling headers either way
 * @param streamRoutes the provider's data-plane routes beside ARM, reached with its own tokens
 *     (top-level types only)
 */
public record ResourceType(
    String type,
    List<String> apiVersions,
    NameRule nameRule,
    boolean tracked,
    boolean longRunning,
    Set<String> readOnlyProperties,
    ResourceHooks hooks,
    List<ProviderAction> providerActions,
    boolean serverManaged,
    List<ProviderRoute> routes,
    int longRunningPatchStatus,
    List<StreamRoute> streamRoutes) {

  public ResourceType {
    apiVersions = List.copyOf(apiVersions);
    readOnlyProperties = Set.copyOf(readOnlyProperties);
    providerActions = List.copyOf(providerActions);
    routes = List.copyOf(routes);
    if (longRunningPatchStatus != 201 && longRunningPatchStatus != 202) {
      throw new IllegalArgumentException("a long-running PATCH answers 201 or 202");
    }
    streamRoutes = List.copyOf(streamRoutes);
    if (type.split("/").length < 2) {
      throw new IllegalArgumentException("type must be Namespace/type: " + type);
    }
    if ((!routes.isEmpty() || !streamRoutes.isEmpty()) && type.split("/").length != 2) {
      throw new IllegalArgumentException("only top-level types declare routes: " + type);
    }
  }

  /**
   * This type with {@code more} routes of its own: how the server adds routes whose handlers need
   * what only it can wire (the reconciler's diagnosis, the registry's access check).
   */
  public ResourceType withRoutes(List<ProviderRoute> more) {
    List<ProviderRoute> all = new ArrayList<>(routes);
    all.addAll(more);
    return new ResourceType(
        type,
        apiVersions,
        nameRule,
        tracked,
        longRunning,
        readOnlyProperties,
        hooks,
        providerActions,
        serverManaged,
        all,
        longRunningPatchStatus,
        streamRoutes);
  }

  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** {@code Microsoft.ContainerRegistry}. */
  public String namespace() {
    return type.substring(0, type.indexOf('/'));
  }

  /** The type path under the namespace: {@code registries}, {@code containerApps/revisions}. */
  public String typePath() {
    return type.substring(type.indexOf('/') + 1);
  }

  /** The lower-cased type, for lookups. */
  public String key() {
    return type.toLowerCase(Locale.ROOT);
  }

  /**
   * A resource name rule: a pattern, a length range and the message ARM answers with.
   *
   * @param message the {@code InvalidResourceName} message; {@code {name}} is replaced by the name
   */
  public record NameRule(Pattern pattern, int minLength, int maxLength, String message) {

    /** ARM's generic rule: 1–260 characters, none of {@code <>%&:\?/#} nor control characters. */
    public static final NameRule GENERIC =
        new NameRule(
            Pattern.compile("[^<>%&:\\\\?/#\\p{Cntrl}]+"),
            1,
            260,
            "The resource name '{name}' is invalid. It can be up to 260 characters long and cannot"
                + " contain '<', '>', '%', '&', ':', '\\', '?', '/', '#' or control characters.");

    public static NameRule of(String regex, int minLength, int maxLength, String message) {
      return new NameRule(Pattern.compile(regex), minLength, maxLength, message);
    }

    /**
     * Throws {@code InvalidResourceName} unless the name passes this rule and ARM's generic one.
     */
    public void check(String name) {
      for (NameRule rule : equals(GENERIC) ? List.of(this) : List.of(GENERIC, this)) {
        if (name.length() < rule.minLength
            || name.length() > rule.maxLength
            || !rule.pattern.matcher(name).matches()) {
          throw ArmException.of(
                  ArmErrorCode.InvalidResourceName, rule.message.replace("{name}", name))
              .withTarget("name");
        }
      }
    }
  }

  /** Builds a {@link ResourceType}; defaults: tracked, synchronous, generic names, no hooks. */
  public static final class Builder {
    private final String type;
    private final List<String> apiVersions = new ArrayList<>();
    private NameRule nameRule = NameRule.GENERIC;
    private boolean tracked = true;
    private boolean longRunning;
    private Set<String> readOnly = Set.of();
    private ResourceHooks hooks = ResourceHooks.NONE;
    private final List<ProviderAction> providerActions = new ArrayList<>();
    private boolean serverManaged;
    private final List<ProviderRoute> routes = new ArrayList<>();
    private int longRunningPatchStatus = 202;
    private final List<StreamRoute> streamRoutes = new ArrayList<>();

    private Builder(String type) {
      this.type = type;
    }

    public Builder apiVersions(String... versions) {
      apiVersions.addAll(List.of(versions));
      return this;
    }

    public Builder nameRule(NameRule rule) {
      this.nameRule = rule;
      return this;
    }

    /** Proxy (untracked) resources have no location nor tags, such as child resources. */
    public Builder proxy() {
      this.tracked = false;
      return this;
    }

    public Builder longRunning(boolean value) {
      this.longRunning = value;
      return this;
    }

    /**
     * A long-running PATCH answers 201 with the resource and the polling headers, for types whose
     * spec lists 200 and 201 for PATCH but no 202 (ACR's registries); the default is 202.
     */
    public Builder longRunningPatchAnswersCreated() {
      this.longRunningPatchStatus = 201;
      return this;
    }

    public Builder readOnlyProperties(String... names) {
      this.readOnly = Set.of(names);
      return this;
    }

    public Builder hooks(ResourceHooks value) {
      this.hooks = value;
      return this;
    }

    /** Adds a subscription-level action of the provider about this type. */
    public Builder providerAction(ProviderAction action) {
      providerActions.add(action);
      return this;
    }

    /** Adds a route of the provider's own below a resource of this type. */
    public Builder route(ProviderRoute route) {
      routes.add(route);
      return this;
    }

    /** Adds a data-plane route beside ARM, reached with the provider's own tokens. */
    public Builder streamRoute(StreamRoute route) {
      streamRoutes.add(route);
      return this;
    }

    /**
     * Documents of this type are written by Berth only (revisions, replicas): PUT, PATCH and DELETE
     * answer 405; GET, lists and actions are served.
     */
    public Builder serverManaged() {
      this.serverManaged = true;
      return this;
    }

    public ResourceType build() {
      if (apiVersions.isEmpty()) {
        throw new IllegalStateException(type + " declares no api-version");
      }
      return new ResourceType(
          type,
          apiVersions,
          nameRule,
          tracked,
          longRunning,
          readOnly,
          hooks,
          providerActions,
          serverManaged,
          routes,
          longRunningPatchStatus,
          streamRoutes);
    }
  }
}
