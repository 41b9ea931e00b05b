package dev.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two snapshots of a set of JSON documents (by key: a resource id, a path),
 * field by field as JSON pointers: what a table test's "then" reads to say what one step changed
 * and that nothing else did. Arrays compare whole. Immutable.
 */
public final class JsonChanges {

  /**
   * One change.
   *
   * @param document the document's key
   * @param pointer where in it ({@code ""} for the whole document: added or deleted)
   * @param before the value before; empty when it was not there
   * @param after the value after; empty when it is gone
   */
  public record Change(
      String document, String pointer, Optional<JsonNode> before, Optional<JsonNode> after) {

    @Override
    public String toString() {
      return document
          + pointer
          + ": "
          + before.map(JsonNode::toString).orElse("(none)")
          + " -> "
          + after.map(JsonNode::toString).orElse("(none)");
    }
  }

  private final List<Change> changes;

  private JsonChanges(List<Change> changes) {
    this.changes = List.copyOf(changes);
  }

  /** The changes from {@code before} to {@code after}, documents in key order. */
  public static JsonChanges between(
      Map<String, ? extends JsonNode> before, Map<String, ? extends JsonNode> after) {
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<Change> out = new ArrayList<>();
    for (String key : keys) {
      diff(key, "", Optional.ofNullable(before.get(key)), Optional.ofNullable(after.get(key)), out);
    }
    return new JsonChanges(out);
  }

  private static void diff(
      String key, String pointer, Optional<JsonNode> a, Optional<JsonNode> b, List<Change> out) {
    if (a.equals(b)) {
      return;
    }
    if (a.isPresent() && b.isPresent() && a.get().isObject() && b.get().isObject()) {
      Set<String> fields = new LinkedHashSet<>();
      a.get().fieldNames().forEachRemaining(fields::add);
      b.get().fieldNames().forEachRemaining(fields::add);
      for (String f : fields) {
        String p = pointer + "/" + f.replace("~", "~0").replace("/", "~1");
        diff(key, p, Optional.ofNullable(a.get().get(f)), Optional.ofNullable(b.get().get(f)), out);
      }
      return;
    }
    out.add(new Change(key, pointer, a, b));
  }

  public List<Change> all() {
    return changes;
  }

  /** The changes inside the document {@code key}. */
  public List<Change> of(String key) {
    return changes.stream().filter(c -> c.document().equals(key)).toList();
  }

  /** The keys of the documents that changed (added, deleted or edited). */
  public Set<String> documents() {
    Set<String> keys = new TreeSet<>();
    changes.forEach(c -> keys.add(c.document()));
    return keys;
  }

  /** The change at exactly {@code pointer} of document {@code key}, if there is one. */
  public Optional<Change> at(String key, String pointer) {
    return changes.stream()
        .filter(c -> c.document().equals(key) && c.pointer().equals(pointer))
        .findFirst();
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** One change a line, for failure messages. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    changes.forEach(c -> b.append(c).append('\n'));
    return b.length() == 0 ? "(no changes)" : b.toString();
  }
}
