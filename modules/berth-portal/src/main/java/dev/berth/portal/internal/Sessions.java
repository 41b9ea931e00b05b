package dev.berth.portal.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portal's sessions, in memory: a restart signs everyone out, which is the safe default for a
 * session that holds a bearer token. Ids and CSRF tokens are 256 random bits each. A session ends
 * at its token's expiry, after {@link #IDLE} without a request, or at sign-out, whichever comes
 * first. Thread-safe.
 */
public final class Sessions {

  /** How long a session lives without a request. */
  public static final Duration IDLE = Duration.ofMinutes(30);

  /** Past this many sessions, starting one first forgets those that ended. */
  private static final int SWEEP_ABOVE = 1_000;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /** A session and when it was last used. */
  private record Live(PortalSession session, Instant lastSeen) {}

  private final ConcurrentHashMap<String, Live> byId = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration idle;

  public Sessions(Clock clock) {
    this(clock, IDLE);
  }

  public Sessions(Clock clock, Duration idle) {
    this.clock = clock;
    this.idle = idle;
  }

  /** Starts a session, with a new id, for a person who just signed in. */
  public PortalSession start(String accessToken, String user, String objectId, Instant expiresAt) {
    if (byId.size() > SWEEP_ABOVE) {
      Instant now = clock.instant();
      byId.values().removeIf(l -> !alive(l, now));
    }
    PortalSession session =
        new PortalSession(randomToken(), randomToken(), accessToken, user, objectId, expiresAt);
    byId.put(session.id(), new Live(session, clock.instant()));
    return session;
  }

  /**
   * The live session with this id, which counts as a use of it; one that expired or sat idle too
   * long is forgotten and not found.
   */
  public Optional<PortalSession> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Live live = byId.get(id);
    if (live == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!alive(live, now)) {
      byId.remove(id, live);
      return Optional.empty();
    }
    // A lost race only keeps the other request's (equally recent) time.
    byId.replace(id, live, new Live(live.session(), now));
    return Optional.of(live.session());
  }

  /** Ends a session (sign-out); its cookie stops working at once. */
  public void end(String id) {
    if (id != null) {
      byId.remove(id);
    }
  }

  private boolean alive(Live live, Instant now) {
    return now.isBefore(live.session().expiresAt()) && now.isBefore(live.lastSeen().plus(idle));
  }

  /** 256 random bits, base64url without padding. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }
}
