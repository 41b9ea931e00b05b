package dev.berth.controlplane.internal;

import dev.berth.http.Route;
import dev.berth.http.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The ARM route table: each row's method, path template and {@link ArmRoute} held in the shared
 * {@link Router} itself, in two routers — plain routes, whose template is the whole path, and
 * extension routes, whose template follows a {@code {scope}} prefix. Immutable and thread-safe.
 */
public record RouteTable(Router<ArmRoute> plain, Router<ArmRoute> extensions) {

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the rows. Not thread-safe. */
  public static final class Builder {
    private final List<Route<ArmRoute>> plain = new ArrayList<>();
    private final List<Route<ArmRoute>> extensions = new ArrayList<>();

    private Builder() {}

    /** A route whose template is the whole path. */
    public Builder add(String method, String template, ArmRoute route) {
      plain.add(Route.of(method, template, route));
      return this;
    }

    /** A route of an extension resource; the template follows a {@code {scope}} prefix. */
    public Builder extension(String method, String template, ArmRoute route) {
      extensions.add(Route.of(method, template, route));
      return this;
    }

    public RouteTable build() {
      return new RouteTable(new Router<>(plain), new Router<>(extensions));
    }
  }
}
