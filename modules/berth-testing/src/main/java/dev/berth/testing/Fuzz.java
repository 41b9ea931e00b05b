package dev.berth.testing;

import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property-based (fuzz) runs with QuickTheories inside ordinary JUnit tests: each run draws a fresh
 * seed and prints it before the first example, so that any failure — a falsified property, a hang
 * cut short by a timeout, a crashed JVM — replays with {@code -DQT_SEED=<seed>}; plus the small
 * generators the fuzz tests share. Stateless and thread-safe.
 *
 * @see <a href="https://github.com/quicktheories/QuickTheories">QuickTheories</a>
 */
public final class Fuzz {

  /** The system property QuickTheories itself reads for a seed; here it replays a printed one. */
  public static final String SEED = "QT_SEED";

  private static final SecureRandom SEEDS = new SecureRandom();

  private Fuzz() {}

  /** A theory of {@code examples} examples, seeded by {@code -DQT_SEED} or else at random. */
  public static QuickTheory qt(int examples) {
    String given = System.getProperty(SEED);
    long seed = given == null ? SEEDS.nextLong() : Long.parseLong(given.strip());
    String caller =
        StackWalker.getInstance()
            .walk(frames -> frames.skip(1).findFirst())
            .map(
                f ->
                    f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1)
                        + "."
                        + f.getMethodName())
            .orElse("?");
    // Printed first, not only in QuickTheories' own failure report: a hang that a test's timeout
    // ends never reaches that report.
    System.out.printf(
        "%s: %d examples, seed %d (replay: -D%s=%d)%n", caller, examples, seed, SEED, seed);
    return QuickTheory.qt().withExamples(examples).withFixedSeed(seed);
  }

  /** A check that may throw: any exception fails the example, and QuickTheories reports it. */
  @FunctionalInterface
  public interface Check<T> {
    void accept(T value) throws Exception;
  }

  /** {@code check} as {@code checkAssert} takes it. */
  public static <T> Consumer<T> unchecked(Check<T> check) {
    return value -> {
      try {
        check.accept(value);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  /** Strings of {@code min} to {@code max} characters, each one of {@code alphabet}'s. */
  public static Gen<String> strings(String alphabet, int min, int max) {
    List<Character> chars = new ArrayList<>();
    alphabet.chars().forEach(c -> chars.add((char) c));
    return lists()
        .of(arbitrary().pick(chars))
        .ofSizeBetween(min, max)
        .map(
            list -> {
              StringBuilder s = new StringBuilder(list.size());
              list.forEach(s::append);
              return s.toString();
            });
  }

  /**
   * Strings of {@code min} to {@code max} code points of any kind but surrogates: text a client can
   * send. (QuickTheories' own {@code strings().allPossible()} yields lone surrogates, which no
   * encoder writes back as they were.)
   */
  public static Gen<String> text(int min, int max) {
    int gap = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;
    Gen<Integer> codePoint =
        integers()
            .between(0, Character.MAX_CODE_POINT - gap)
            .map(c -> c < Character.MIN_SURROGATE ? c : c + gap);
    return lists()
        .of(codePoint)
        .ofSizeBetween(min, max)
        .map(
            list -> {
              StringBuilder s = new StringBuilder(list.size());
              list.forEach(s::appendCodePoint);
              return s.toString();
            });
  }

  /** The characters from {@code first} to {@code last}, as an alphabet for {@link #strings}. */
  public static String chars(char first, char last) {
    StringBuilder alphabet = new StringBuilder();
    for (char c = first; c <= last; c++) {
      alphabet.append(c);
    }
    return alphabet.toString();
  }

  /** One of {@code choices}, each as likely. */
  @SafeVarargs
  public static <T> Gen<T> oneOf(Gen<? extends T>... choices) {
    List<Pair<Integer, Gen<T>>> weighted = new ArrayList<>();
    for (Gen<? extends T> choice : choices) {
      weighted.add(weighted(1, choice));
    }
    return Generate.frequency(weighted);
  }

  /** One of {@code choices}, as likely as its weight says: {@code frequency(weighted(3, a), …)}. */
  @SafeVarargs
  public static <T> Gen<T> frequency(Pair<Integer, Gen<T>>... choices) {
    List<Pair<Integer, Gen<T>>> all = new ArrayList<>();
    for (Pair<Integer, Gen<T>> choice : choices) {
      all.add(choice);
    }
    return Generate.frequency(all);
  }

  /** A choice for {@link #frequency}. */
  public static <T> Pair<Integer, Gen<T>> weighted(int weight, Gen<? extends T> choice) {
    Gen<T> widened = choice.map(value -> value);
    return Pair.of(weight, widened);
  }

  /** {@code parts} joined with {@code separator}: paths, query strings, token streams. */
  public static Gen<String> joined(Gen<List<String>> parts, String separator) {
    return parts.map(list -> String.join(separator, list));
  }
}
