package dev.berth.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A table test, as knative's reconciler tests are written: rows that each start from a fresh
 * fixture, put it in a state ({@code given}), then take steps — what happens ({@code when}) and
 * what that must have changed ({@code then}) — run as one JUnit dynamic test a row, named by the
 * row. A failing check names its row, its step and itself. A fixture that is {@link AutoCloseable}
 * is closed after its row. Not thread-safe: build it in one {@code @TestFactory} method.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> onePass() {
 *   return TableTest.of(Scene::new)
 *       .row("a new revision runs")
 *           .given(app(), revision("v1"))
 *           .when(pass(V1))
 *           .then(running(V1))
 *       .row("…")
 *       .tests();
 * }
 * }</pre>
 *
 * @param <F> the fixture a row works on
 */
public final class TableTest<F> {

  /** Something done to, or checked of, a fixture; {@link #named} gives it a name for messages. */
  @FunctionalInterface
  public interface Step<F> {
    void run(F fixture) throws Exception;

    /** {@code step} under {@code name}, which failure messages and row listings use. */
    static <F> Step<F> named(String name, Step<F> step) {
      return new Step<>() {
        @Override
        public void run(F fixture) throws Exception {
          step.run(fixture);
        }

        @Override
        public String toString() {
          return name;
        }
      };
    }
  }

  /** One row: its name, how it starts, and its steps in order. */
  public static final class Row<F> {
    private final TableTest<F> table;
    private final String name;
    private final List<Step<F>> given = new ArrayList<>();
    private final List<List<Step<F>>> whens = new ArrayList<>();
    private final List<List<Step<F>>> thens = new ArrayList<>();

    private Row(TableTest<F> table, String name) {
      this.table = table;
      this.name = name;
    }

    /** The table's next row. */
    public Row<F> row(String name) {
      return table.row(name);
    }

    /** The table's rows as tests. */
    public Stream<DynamicTest> tests() {
      return table.tests();
    }

    /** What the fixture holds before the first step. */
    @SafeVarargs
    public final Row<F> given(Step<F>... steps) {
      given.addAll(List.of(steps));
      return this;
    }

    /** A new step: what happens. */
    @SafeVarargs
    public final Row<F> when(Step<F>... steps) {
      whens.add(List.of(steps));
      thens.add(new ArrayList<>());
      return this;
    }

    /** What the current step must have changed. */
    @SafeVarargs
    public final Row<F> then(Step<F>... checks) {
      if (thens.isEmpty()) {
        throw new IllegalStateException("row '" + name + "': then() before any when()");
      }
      thens.get(thens.size() - 1).addAll(List.of(checks));
      return this;
    }

    private void run(F fixture) throws Exception {
      for (Step<F> step : given) {
        attempt(fixture, step, "given " + step);
      }
      for (int i = 0; i < whens.size(); i++) {
        String when = "step " + (i + 1) + " (when " + whens.get(i) + ")";
        for (Step<F> step : whens.get(i)) {
          attempt(fixture, step, when);
        }
        for (Step<F> check : thens.get(i)) {
          attempt(fixture, check, when + ", then " + check);
        }
      }
    }

    private void attempt(F fixture, Step<F> step, String where) throws Exception {
      try {
        step.run(fixture);
      } catch (AssertionError e) {
        throw new AssertionError("row '" + name + "', " + where + ": " + e.getMessage(), e);
      }
    }
  }

  private final Supplier<F> fixtures;
  private final List<Row<F>> rows = new ArrayList<>();

  private TableTest(Supplier<F> fixtures) {
    this.fixtures = fixtures;
  }

  /** A table whose rows each get a fixture from {@code fixtures}. */
  public static <F> TableTest<F> of(Supplier<F> fixtures) {
    return new TableTest<>(fixtures);
  }

  /** A new row, named by the behaviour it shows. */
  public Row<F> row(String name) {
    Row<F> row = new Row<>(this, name);
    rows.add(row);
    return row;
  }

  /** One dynamic test a row, in the order they were added. */
  public Stream<DynamicTest> tests() {
    return rows.stream().map(r -> DynamicTest.dynamicTest(r.name, () -> run(r)));
  }

  private void run(Row<F> row) throws Exception {
    F fixture = fixtures.get();
    try {
      row.run(fixture);
    } finally {
      if (fixture instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }
}
