package dev.berth.portal.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-ins under way: what the portal sent to the authorize endpoint and must check when the
 * browser comes back (the PKCE verifier, the nonce, where to return), keyed by {@code state} and
 * bound to the browser that started it by the sign-in cookie. In memory, at most {@link #MAX}
 * entries, each for {@link #LIFE}, each used once. Thread-safe.
 */
final class PendingSignIns {

  /** How long a person has to sign in at the token service. */
  static final Duration LIFE = Duration.ofMinutes(10);

  /** The most sign-ins under way at once; past it, new ones are refused until some end. */
  static final int MAX = 10_000;

  /**
   * One sign-in under way.
   *
   * @param state the OAuth {@code state}: 256 random bits
   * @param browser the sign-in cookie's value of the browser that started it
   * @param pkce the verifier (kept) and its challenge (sent)
   * @param nonce the OIDC nonce, checked in the ID token if one comes back
   * @param returnTo the local portal path to go to afterwards
   * @param expiresAt when the sign-in is forgotten
   */
  record Pending(
      String state, String browser, Pkce pkce, String nonce, String returnTo, Instant expiresAt) {
    @Override
    public String toString() {
      return "Pending[returnTo=" + returnTo + ", expiresAt=" + expiresAt + "]";
    }
  }

  private final ConcurrentHashMap<String, Pending> byState = new ConcurrentHashMap<>();
  private final Clock clock;

  PendingSignIns(Clock clock) {
    this.clock = clock;
  }

  /** Starts a sign-in for {@code browser}; empty when {@link #MAX} sign-ins are under way. */
  Optional<Pending> start(String browser, String returnTo) {
    if (byState.size() >= MAX) {
      sweep();
      if (byState.size() >= MAX) {
        return Optional.empty();
      }
    }
    Pending p =
        new Pending(
            Sessions.randomToken(),
            browser,
            Pkce.create(),
            Sessions.randomToken(),
            returnTo,
            clock.instant().plus(LIFE));
    byState.put(p.state(), p);
    return Optional.of(p);
  }

  /**
   * Takes the sign-in {@code state} names, once: present only if it is live and was started by the
   * browser holding {@code browser}. Taken either way, so a state is never tried twice.
   */
  Optional<Pending> take(String state, String browser) {
    if (state == null || state.isEmpty()) {
      return Optional.empty();
    }
    Pending p = byState.remove(state);
    if (p == null || browser == null || !clock.instant().isBefore(p.expiresAt())) {
      return Optional.empty();
    }
    // Constant time: the comparison tells nothing of the cookie, byte by byte.
    boolean sameBrowser =
        MessageDigest.isEqual(
            p.browser().getBytes(StandardCharsets.UTF_8), browser.getBytes(StandardCharsets.UTF_8));
    return sameBrowser ? Optional.of(p) : Optional.empty();
  }

  int size() {
    return byState.size();
  }

  private void sweep() {
    Instant now = clock.instant();
    byState.values().removeIf(p -> !now.isBefore(p.expiresAt()));
  }
}
