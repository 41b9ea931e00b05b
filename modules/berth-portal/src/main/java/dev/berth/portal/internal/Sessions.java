package dev.berth.portal.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portal's sessions, in memory: a restart signs everyone out, which is the safe default for a
 * session that holds a bearer token. Ids and CSRF tokens are 256 random bits each. Thread-safe.
 */
public final class Sessions {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final ConcurrentHashMap<String, PortalSession> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  public Sessions(Clock clock) {
    this.clock = clock;
  }

  /** Starts a session for a person who just signed in. */
  public PortalSession start(String accessToken, String user, String objectId, Instant expiresAt) {
    PortalSession session =
        new PortalSession(randomToken(), randomToken(), accessToken, user, objectId, expiresAt);
    byId.put(session.id(), session);
    return session;
  }

  /** The live session with this id; an expired one is forgotten and not found. */
  public Optional<PortalSession> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    PortalSession session = byId.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(session.expiresAt())) {
      byId.remove(id, session);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  /** Ends a session (sign-out); its cookie stops working at once. */
  public void end(String id) {
    if (id != null) {
      byId.remove(id);
    }
  }

  /** 256 random bits, base64url without padding. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }
}
