package dev.berth.identity.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed sign-ins per user name and client address, in memory: after {@link #MAX_FAILURES}
 * within {@link #WINDOW}, that name is refused to that address until the oldest of them leaves the
 * window. Counting per address too means a stranger who guesses at {@code admin} locks only
 * themselves out, not the admin at their own machine; a guesser with many addresses still gets five
 * tries per address per window, against passwords of at least 12 characters. Names are counted
 * whether or not such a user exists, so the throttle tells nothing about which users exist.
 * Thread-safe.
 */
public final class SignInThrottle {

  public static final int MAX_FAILURES = 5;
  public static final Duration WINDOW = Duration.ofMinutes(15);

  // Bounds the memory a flood of made-up names can take: past this, expired entries are dropped.
  private static final int PRUNE_ABOVE = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public SignInThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code userName} is still refused to {@code address}, if it is. */
  public Optional<Duration> lockedFor(String userName, String address) {
    Instant now = clock.instant();
    Deque<Instant> list = failures.get(key(userName, address));
    if (list == null) {
      return Optional.empty();
    }
    synchronized (list) {
      drop(list, now);
      if (list.size() < MAX_FAILURES) {
        return Optional.empty();
      }
      return Optional.of(Duration.between(now, list.peekFirst().plus(WINDOW)));
    }
  }

  public void failed(String userName, String address) {
    Instant now = clock.instant();
    if (failures.size() > PRUNE_ABOVE) {
      failures
          .values()
          .removeIf(
              l -> {
                synchronized (l) {
                  drop(l, now);
                  return l.isEmpty();
                }
              });
    }
    Deque<Instant> list = failures.computeIfAbsent(key(userName, address), k -> new ArrayDeque<>());
    synchronized (list) {
      drop(list, now);
      list.addLast(now);
    }
  }

  public void succeeded(String userName, String address) {
    failures.remove(key(userName, address));
  }

  private static void drop(Deque<Instant> list, Instant now) {
    while (!list.isEmpty() && !list.peekFirst().plus(WINDOW).isAfter(now)) {
      list.removeFirst();
    }
  }

  private static String key(String userName, String address) {
    return userName.strip().toLowerCase(Locale.ROOT) + " " + address;
  }
}
