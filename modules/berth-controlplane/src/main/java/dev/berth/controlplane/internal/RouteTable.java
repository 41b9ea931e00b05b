package dev.berth.controlplane.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The ARM route table as data: method, path template, whether the template extends any scope, and
 * the route's declarations. Built once; immutable afterwards.
 */
public final class RouteTable {

  /** One row. */
  public record Entry(String method, String template, boolean extension, ArmRoute route) {}

  private final List<Entry> entries = new ArrayList<>();

  /** A route whose template is the whole path. */
  public RouteTable add(String method, String template, ArmRoute route) {
    entries.add(new Entry(method, template, false, route));
    return this;
  }

  /** A route of an extension resource; the template follows a {@code {scope}} prefix. */
  public RouteTable extension(String method, String template, ArmRoute route) {
    entries.add(new Entry(method, template, true, route));
    return this;
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }
}
