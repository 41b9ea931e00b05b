package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * az's {@code --env-vars K=V K2=secretref:SECRET} as a container's {@code env} array: plain values
 * become {@code {"name","value"}}, {@code secretref:} values {@code {"name","secretRef"}}.
 * Stateless, thread-safe.
 */
final class EnvVars {

  private static final String SECRET_REF = "secretref:";

  private EnvVars() {}

  /** One {@code K=V} as an env entry. */
  static ObjectNode parse(String pair) {
    int eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new CliFailure(
          "Invalid environment variable '"
              + pair
              + "': expected NAME=VALUE or NAME=secretref:SECRET.");
    }
    ObjectNode entry = BerthCommand.JSON.createObjectNode();
    entry.put("name", pair.substring(0, eq));
    String value = pair.substring(eq + 1);
    if (value.startsWith(SECRET_REF)) {
      entry.put("secretRef", value.substring(SECRET_REF.length()));
    } else {
      entry.put("value", value);
    }
    return entry;
  }

  static ArrayNode parse(List<String> pairs) {
    ArrayNode env = BerthCommand.JSON.createArrayNode();
    pairs.forEach(p -> env.add(parse(p)));
    return env;
  }

  /** Sets each of {@code pairs} in {@code env}, replacing an entry of the same name in place. */
  static void merge(ArrayNode env, List<String> pairs) {
    for (String pair : pairs) {
      ObjectNode entry = parse(pair);
      int at = indexOf(env, entry.path("name").asText());
      if (at >= 0) {
        env.set(at, entry);
      } else {
        env.add(entry);
      }
    }
  }

  /** Removes the entries named {@code names}; a name that is not there is an error, as in az. */
  static void remove(ArrayNode env, List<String> names) {
    for (String name : names) {
      int at = indexOf(env, name);
      if (at < 0) {
        throw new CliFailure(
            "Environment variable '" + name + "' does not exist in the container.");
      }
      env.remove(at);
    }
  }

  private static int indexOf(ArrayNode env, String name) {
    for (int i = 0; i < env.size(); i++) {
      JsonNode e = env.get(i);
      if (e.path("name").asText().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
