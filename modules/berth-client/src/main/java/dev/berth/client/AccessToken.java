package dev.berth.client;

import java.time.Instant;

/** A bearer token and the instant it stops being valid. Immutable. */
public record AccessToken(String token, Instant expiresOn) {

  /** True when the token is expired at {@code now} or will be within {@code marginSeconds}. */
  public boolean expiresWithin(Instant now, long marginSeconds) {
    return !expiresOn.isAfter(now.plusSeconds(marginSeconds));
  }
}
