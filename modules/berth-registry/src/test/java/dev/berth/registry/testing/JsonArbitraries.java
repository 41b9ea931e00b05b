package dev.berth.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik generators of JSON values for fuzzing parsers and binders: scalars that stress number and
 * string handling (huge, negative, fractional, empty, long, odd code points) and objects and arrays
 * nested a few levels. Stateless.
 */
public final class JsonArbitraries {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private JsonArbitraries() {}

  /** Scalars: numbers of every kind and size, strings, booleans, null. */
  public static Arbitrary<JsonNode> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(F::numberNode),
        Arbitraries.longs().map(F::numberNode),
        Arbitraries.of(-1L, 0L, 1L, 100L, 101L, 1000L, 1001L, Long.MAX_VALUE, Long.MIN_VALUE)
            .map(F::numberNode),
        Arbitraries.of(
                new BigInteger("1000000000000000000000000000000"),
                new BigInteger("-99999999999999999999"),
                BigInteger.TWO.pow(64))
            .map(F::numberNode),
        Arbitraries.of(0.5, -0.25, 1e300, -1e-300, 4.0000001, Double.MAX_VALUE).map(F::numberNode),
        Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-1e-400")).map(F::numberNode),
        Arbitraries.strings().ofMaxLength(40).map(F::textNode),
        Arbitraries.of(
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
        Arbitraries.of(F.booleanNode(true), F.booleanNode(false), F.nullNode()));
  }

  /** Any JSON value nested up to {@code depth} levels. */
  public static Arbitrary<JsonNode> values(int depth) {
    if (depth <= 0) {
      return scalars();
    }
    Arbitrary<JsonNode> inner = Arbitraries.lazy(() -> values(depth - 1));
    Arbitrary<JsonNode> array = inner.list().ofMaxSize(4).map(items -> F.arrayNode().addAll(items));
    Arbitrary<JsonNode> object =
        Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12), inner)
            .ofMaxSize(4)
            .map(
                m -> {
                  ObjectNode o = F.objectNode();
                  m.forEach(o::set);
                  return o;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalars()),
        net.jqwik.api.Tuple.of(1, array),
        net.jqwik.api.Tuple.of(2, object));
  }

  /**
   * {@code valid} with one to three of its members or elements replaced by random values: bodies
   * that are nearly right, which reach deeper into a binder than random ones.
   */
  public static Arbitrary<JsonNode> mutationsOf(JsonNode valid) {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.integers().between(0, 10_000).list().ofMinSize(1).ofMaxSize(3),
            values(2).list().ofSize(3))
        .as(
            (picks, replacements) -> {
              JsonNode copy = valid.deepCopy();
              for (int i = 0; i < picks.size(); i++) {
                java.util.List<Runnable> slots = new java.util.ArrayList<>();
                collect(copy, replacements.get(i), slots);
                if (!slots.isEmpty()) {
                  slots.get(picks.get(i) % slots.size()).run();
                }
              }
              return copy;
            });
  }

  /** One action per member or element below {@code node}: replace it with {@code value}. */
  private static void collect(JsonNode node, JsonNode value, java.util.List<Runnable> slots) {
    if (node instanceof ObjectNode o) {
      for (String name : iterable(o.fieldNames())) {
        slots.add(() -> o.set(name, value));
        collect(o.get(name), value, slots);
      }
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        int at = i;
        slots.add(() -> a.set(at, value));
        collect(a.get(i), value, slots);
      }
    }
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    java.util.List<T> all = new java.util.ArrayList<>();
    it.forEachRemaining(all::add);
    return all;
  }
}
