package dev.berth.identity.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization codes of the code flow, in memory: each is 256 random bits, lives {@link
 * #LIFETIME}, and can be redeemed once. A redeemed code is remembered until it would have expired,
 * so a second use is told apart from an unknown code. A restart forgets every code, which only
 * makes a sign-in in flight start again. Thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 */
public final class AuthorizationCodes {

  /** How long a code may wait to be redeemed (RFC 6749 recommends at most ten minutes). */
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  /** What a code was issued for: every value the token request must match. */
  public record Grant(
      String clientId,
      String redirectUri,
      String codeChallenge,
      String userObjectId,
      String audience,
      String scope,
      Optional<String> nonce) {}

  /** The outcome of redeeming a code. */
  public sealed interface Redemption {
    record Redeemed(Grant grant) implements Redemption {}

    record AlreadyRedeemed() implements Redemption {}

    record Expired() implements Redemption {}

    record Unknown() implements Redemption {}
  }

  private record Entry(Grant grant, Instant expires, boolean redeemed) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Map<String, Entry> codes = new ConcurrentHashMap<>();

  public AuthorizationCodes(Clock clock) {
    this.clock = clock;
  }

  /** A new code for {@code grant}. */
  public String issue(Grant grant) {
    Instant now = clock.instant();
    codes.values().removeIf(e -> e.expires().isBefore(now));
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    codes.put(code, new Entry(grant, now.plus(LIFETIME), false));
    return code;
  }

  /**
   * Redeems {@code code}: the first call within its lifetime gets the grant, every later one is
   * refused, whatever the token request then makes of it (a stolen code tried with a wrong verifier
   * is spent, too).
   */
  public Redemption redeem(String code) {
    Instant now = clock.instant();
    Redemption[] outcome = {new Redemption.Unknown()};
    codes.computeIfPresent(
        code,
        (k, e) -> {
          if (e.redeemed()) {
            outcome[0] = new Redemption.AlreadyRedeemed();
            return e;
          }
          outcome[0] =
              now.isAfter(e.expires())
                  ? new Redemption.Expired()
                  : new Redemption.Redeemed(e.grant());
          return new Entry(e.grant(), e.expires(), true);
        });
    return outcome[0];
  }
}
