package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The app's {@code configuration.secrets}: az's {@code --secrets NAME=VALUE} parsing (a VALUE of
 * {@code @FILE} or {@code @-} is read from there: {@link SecretArguments}), and setting or removing
 * entries by name. Stateless, thread-safe.
 */
final class SecretEntries {

  private SecretEntries() {}

  /** Sets each {@code NAME=VALUE} in {@code secrets}, replacing a secret of the same name. */
  static void set(ArrayNode secrets, List<String> pairs, SecretArguments values) {
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        // Never the pair itself: it may hold the value.
        throw new CliFailure(
            "Invalid secret '"
                + (eq < 0 ? "…" : pair.substring(0, Math.max(eq, 0)))
                + "': expected NAME=VALUE, NAME=@FILE or NAME=@-.");
      }
      String name = pair.substring(0, eq);
      set(secrets, name, values.resolve(pair.substring(eq + 1), "secret '" + name + "'"));
    }
  }

  /** Sets secret {@code name} to {@code value}, replacing one of the same name. */
  static void set(ArrayNode secrets, String name, String value) {
    ObjectNode secret = BerthCommand.JSON.createObjectNode().put("name", name).put("value", value);
    int at = indexOf(secrets, name);
    if (at >= 0) {
      secrets.set(at, secret);
    } else {
      secrets.add(secret);
    }
  }

  /** Removes the named secrets; one that does not exist is an error, as in az. */
  static void remove(ArrayNode secrets, List<String> names) {
    for (String name : names) {
      int at = indexOf(secrets, name);
      if (at < 0) {
        throw new CliFailure("Secret '" + name + "' does not exist in the container app.");
      }
      secrets.remove(at);
    }
  }

  /** The secrets' names only, each as {@code {"name"}} (what {@code secret list} prints). */
  static ArrayNode names(JsonNode secrets) {
    ArrayNode out = BerthCommand.JSON.createArrayNode();
    secrets.forEach(s -> out.addObject().put("name", s.path("name").asText()));
    return out;
  }

  private static int indexOf(ArrayNode secrets, String name) {
    for (int i = 0; i < secrets.size(); i++) {
      if (secrets.get(i).path("name").asText().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
