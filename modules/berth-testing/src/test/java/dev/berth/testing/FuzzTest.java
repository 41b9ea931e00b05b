package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FuzzTest {

  @AfterEach
  void forgetTheSeed() {
    System.clearProperty(Fuzz.SEED);
  }

  @Test
  void aTheoryRunsAsManyExamplesAsAsked() {
    AtomicInteger runs = new AtomicInteger();

    // (QuickTheories skips an example it has already run: a small domain runs fewer.)
    Fuzz.qt(137).forAll(longs().all()).checkAssert(i -> runs.incrementAndGet());

    assertThat(runs).hasValue(137);
  }

  @Test
  void thePrintedSeedReplaysTheSameExamples() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      Fuzz.qt(50).forAll(Fuzz.text(0, 10)).checkAssert(first::add);
    } finally {
      System.setOut(out);
    }
    Matcher seed =
        Pattern.compile("replay: -DQT_SEED=(-?\\d+)")
            .matcher(printed.toString(StandardCharsets.UTF_8));
    assertThat(seed.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();

    System.setProperty(Fuzz.SEED, seed.group(1));
    Fuzz.qt(50).forAll(Fuzz.text(0, 10)).checkAssert(second::add);

    assertThat(second).isEqualTo(first).hasSizeGreaterThan(40);
  }

  @Test
  void aFailureNamesTheSeedThatReplaysIt() {
    System.setProperty(Fuzz.SEED, "-7");

    assertThatThrownBy(
            () ->
                Fuzz.qt(100)
                    .forAll(integers().between(0, 1000))
                    .checkAssert(
                        Fuzz.unchecked(
                            i -> {
                              if (i > 500) {
                                throw new IOException("checked, and reported");
                              }
                            })))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Seed was -7")
        .hasMessageContaining("checked, and reported");
  }

  @Test
  void textHasNoLoneSurrogates() {
    Fuzz.qt(2000)
        .forAll(Fuzz.text(0, 8))
        .checkAssert(
            s ->
                assertThat(s.codePoints())
                    .noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
  }

  @Test
  void stringsUseOnlyTheirAlphabetWithinTheirLengths() {
    Fuzz.qt(500)
        .forAll(Fuzz.strings("ab%", 2, 5))
        .checkAssert(s -> assertThat(s).matches("[ab%]{2,5}"));
  }
}
