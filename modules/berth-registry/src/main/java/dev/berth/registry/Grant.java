package dev.berth.registry;

import java.util.List;

/**
 * What an authorized request may do: who it is ({@code subject}, for logs and audit) and the
 * actions granted, at most what was asked. Immutable.
 */
public record Grant(String subject, List<AccessRequest> access) {

  public Grant {
    access = List.copyOf(access);
  }

  /** True when the grant includes {@code action} on {@code type:name} (or {@code *}). */
  public boolean allows(String type, String name, String action) {
    return access.stream()
        .anyMatch(
            a ->
                a.type().equals(type)
                    && a.name().equals(name)
                    && (a.actions().contains(action) || a.actions().contains("*")));
  }
}
