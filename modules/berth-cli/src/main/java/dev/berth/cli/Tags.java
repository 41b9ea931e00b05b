package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Parses az-style {@code --tags k=v k2=v2} into a JSON object. Stateless, thread-safe. */
final class Tags {

  private Tags() {}

  /** {@code k=v} pairs as an object; {@code k} alone is an empty value, {@code ""} is ignored. */
  static ObjectNode parse(List<String> pairs) {
    ObjectNode tags = BerthCommand.JSON.createObjectNode();
    for (String pair : pairs) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq == 0) {
        throw new CliFailure("Invalid tag '" + pair + "': expected KEY=VALUE.");
      }
      if (eq < 0) {
        tags.put(pair, "");
      } else {
        tags.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return tags;
  }
}
