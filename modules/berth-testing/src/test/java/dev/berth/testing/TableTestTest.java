package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

class TableTestTest {

  /** A fixture that remembers what happened to it and whether it was closed. */
  static final class Log implements AutoCloseable {
    final List<String> events = new ArrayList<>();
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  static TableTest.Step<Log> does(String what) {
    return TableTest.Step.named(what, log -> log.events.add(what));
  }

  static TableTest.Step<Log> saw(String... events) {
    return TableTest.Step.named("saw", log -> assertThat(log.events).containsExactly(events));
  }

  @Test
  void eachRowRunsOnAFreshFixtureGivenThenStepByStepAndClosesIt() throws Throwable {
    List<Log> fixtures = new ArrayList<>();
    TableTest<Log> table =
        TableTest.of(
            () -> {
              Log log = new Log();
              fixtures.add(log);
              return log;
            });
    table.row("one").given(does("g")).when(does("w1")).then(saw("g", "w1")).when(does("w2"));
    table.row("two").when(does("x")).then(saw("x"));

    List<DynamicTest> tests = table.tests().toList();
    for (DynamicTest test : tests) {
      test.getExecutable().execute();
    }

    assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly("one", "two");
    assertThat(fixtures).hasSize(2).allMatch(f -> f.closed);
    assertThat(fixtures.get(0).events).containsExactly("g", "w1", "w2");
  }

  @Test
  void aFailingCheckNamesItsRowItsStepAndItself() {
    TableTest<Log> table = TableTest.of(Log::new);
    table.row("the row").when(does("a")).then(saw("a")).when(does("b")).then(saw("a"));

    assertThatThrownBy(() -> table.tests().toList().get(0).getExecutable().execute())
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("row 'the row', step 2 (when [b]), then saw: ");
  }

  @Test
  void aCheckBeforeAnyStepIsAMistakeInTheTable() {
    TableTest<Log> table = TableTest.of(Log::new);

    assertThatThrownBy(() -> table.row("bad").then(saw()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("then() before any when()");
  }
}
