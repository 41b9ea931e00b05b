package dev.berth.registry.distribution.internal;

import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import java.util.Map;

/**
 * One routed request: the exchange, the registry it was addressed to and the path variables (the
 * repository {@code name} may hold slashes). Not thread-safe, like its exchange.
 */
public record Call(HttpExchange exchange, Registry registry, Map<String, String> vars) {

  /** The validated repository name of the path. */
  public String name() {
    return Names.repository(vars.getOrDefault("name", ""));
  }

  public String var(String key) {
    return vars.get(key);
  }

  /** Where the registry's repositories are stored: its instance's key, not its name. */
  public String registryKey() {
    return registry.storageKey();
  }
}
