package dev.berth.testing;

import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.oneOf;
import static dev.berth.testing.Fuzz.weighted;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generators of JSON values for fuzzing parsers and binders: scalars that stress
 * number and string handling (huge, negative, fractional, empty, long, odd code points) and objects
 * and arrays nested a few levels. Stateless.
 */
public final class JsonGenerators {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String LETTERS = Fuzz.chars('a', 'z') + Fuzz.chars('A', 'Z');

  private JsonGenerators() {}

  /** Scalars: numbers of every kind and size, strings, booleans, null. */
  public static Gen<JsonNode> scalars() {
    return oneOf(
        integers().all().map(i -> F.numberNode(i)),
        longs().all().map(l -> F.numberNode(l)),
        arbitrary()
            .pick(-1L, 0L, 1L, 100L, 101L, 1000L, 1001L, Long.MAX_VALUE, Long.MIN_VALUE)
            .map(l -> F.numberNode(l)),
        arbitrary()
            .pick(
                new BigInteger("1000000000000000000000000000000"),
                new BigInteger("-99999999999999999999"),
                BigInteger.TWO.pow(64))
            .map(F::numberNode),
        arbitrary()
            .pick(0.5, -0.25, 1e300, -1e-300, 4.0000001, Double.MAX_VALUE)
            .map(d -> F.numberNode(d)),
        arbitrary().pick(new BigDecimal("1e400"), new BigDecimal("-1e-400")).map(F::numberNode),
        Fuzz.text(0, 40).map(F::textNode),
        arbitrary()
            .pick(
                "",
                "../../x",
                "localhost:1/../../etc/passwd",
                "99999999999999999999Gi",
                "0.5Gi",
                "%zz",
                "a\u0000b",
                "\uD83D\uDE00",
                "x".repeat(300))
            .map(F::textNode),
        arbitrary()
            .pick(List.<JsonNode>of(F.booleanNode(true), F.booleanNode(false), F.nullNode())));
  }

  /** Any JSON value nested up to {@code depth} levels. */
  public static Gen<JsonNode> values(int depth) {
    if (depth <= 0) {
      return scalars();
    }
    Gen<JsonNode> inner = values(depth - 1);
    Gen<ArrayNode> array =
        lists().of(inner).ofSizeBetween(0, 4).map(items -> F.arrayNode().addAll(items));
    // Members as a list, not a map: two equal names must not fail the generator.
    Gen<ObjectNode> object =
        lists()
            .of(Fuzz.strings(LETTERS, 1, 12).zip(inner, Map::entry))
            .ofSizeBetween(0, 4)
            .map(
                members -> {
                  ObjectNode o = F.objectNode();
                  members.forEach(m -> o.set(m.getKey(), m.getValue()));
                  return o;
                });
    return frequency(weighted(3, scalars()), weighted(1, array), weighted(2, object));
  }

  /**
   * {@code valid} with one to three of its members or elements replaced by random values: bodies
   * that are nearly right, which reach deeper into a binder than random ones.
   */
  public static Gen<JsonNode> mutationsOf(JsonNode valid) {
    return lists()
        .of(integers().between(0, 10_000))
        .ofSizeBetween(1, 3)
        .zip(
            lists().of(values(2)).ofSize(3),
            (picks, replacements) -> {
              JsonNode copy = valid.deepCopy();
              for (int i = 0; i < picks.size(); i++) {
                List<Runnable> slots = new ArrayList<>();
                collect(copy, replacements.get(i), slots);
                if (!slots.isEmpty()) {
                  slots.get(picks.get(i) % slots.size()).run();
                }
              }
              return copy;
            });
  }

  /** One action per member or element below {@code node}: replace it with {@code value}. */
  private static void collect(JsonNode node, JsonNode value, List<Runnable> slots) {
    if (node instanceof ObjectNode o) {
      for (String name : names(o)) {
        slots.add(() -> o.set(name, value));
        collect(o.get(name), value, slots);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        int at = i;
        slots.add(() -> a.set(at, value));
        collect(a.get(i), value, slots);
      }
    }
  }

  private static List<String> names(ObjectNode o) {
    List<String> all = new ArrayList<>();
    o.fieldNames().forEachRemaining(all::add);
    return all;
  }
}
