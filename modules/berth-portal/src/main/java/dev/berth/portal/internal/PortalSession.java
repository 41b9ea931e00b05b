package dev.berth.portal.internal;

import java.time.Instant;

/**
 * One signed-in person's session: the cookie's id, the token the pages act with, and the CSRF token
 * every form of the session carries. Immutable; {@link Sessions} replaces it to refresh the token.
 *
 * @param id the session cookie's value: 256 random bits, base64url
 * @param csrfToken the synchronizer token every POST of this session must carry
 * @param accessToken the person's ARM token; never rendered, logged or sent anywhere but the API
 * @param user who signed in, as the portal shows it
 * @param objectId the person's principal (object) id, as role assignments name it
 * @param expiresAt when the session ends: the token's expiry, at most
 */
public record PortalSession(
    String id,
    String csrfToken,
    String accessToken,
    String user,
    String objectId,
    Instant expiresAt) {

  @Override
  public String toString() {
    // The session id and the token are credentials: never in a log line.
    return "PortalSession[user=" + user + ", expiresAt=" + expiresAt + "]";
  }
}
