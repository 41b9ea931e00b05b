package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final Sessions sessions = new Sessions(clock);

  private PortalSession start(Duration life) {
    return sessions.start("token", "ann", "oid", clock.instant().plus(life));
  }

  @Test
  void aSessionEndsAtItsTokensExpiry() {
    PortalSession s = start(Duration.ofMinutes(20));

    clock.advance(Duration.ofMinutes(19));
    assertThat(sessions.find(s.id())).hasValue(s);
    clock.advance(Duration.ofMinutes(1));
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void aSessionEndsAfterThirtyIdleMinutes() {
    PortalSession s = start(Duration.ofHours(8));

    clock.advance(Sessions.IDLE.minusSeconds(1));
    assertThat(sessions.find(s.id())).isPresent();
    clock.advance(Sessions.IDLE.minusSeconds(1));
    // Each use starts the idle time again: 59 minutes in, used twice, still alive.
    assertThat(sessions.find(s.id())).isPresent();
    clock.advance(Sessions.IDLE);
    assertThat(sessions.find(s.id())).isEmpty();
    // Gone for good, even if the clock could go back.
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void anEndedSessionIsNotFound() {
    PortalSession s = start(Duration.ofHours(1));

    sessions.end(s.id());

    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void everySessionHasItsOwnIdAndCsrfToken() {
    PortalSession a = start(Duration.ofHours(1));
    PortalSession b = start(Duration.ofHours(1));

    assertThat(a.id()).isNotEqualTo(b.id()).matches("[A-Za-z0-9_-]{43}");
    assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id());
    assertThat(a.toString()).doesNotContain(a.id()).doesNotContain("token");
  }

  @Test
  void noIdFindsNothing() {
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("")).isEmpty();
    assertThat(sessions.find("forged")).isEmpty();
  }
}
