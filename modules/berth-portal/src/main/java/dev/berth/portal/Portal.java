package dev.berth.portal;

import dev.berth.http.HttpExchange;
import dev.berth.portal.internal.PortalHandler;
import dev.berth.portal.internal.PortalSession;
import java.time.Instant;

/**
 * Berth's web portal, served under {@value #PREFIX} on the management port beside the ARM API it
 * calls. The server sends it every request whose path {@link #serves}. Thread-safe.
 */
public final class Portal {

  /** Where the portal lives on the management host. */
  public static final String PREFIX = "/portal";

  private final PortalHandler handler;

  private Portal(PortalHandler handler) {
    this.handler = handler;
  }

  public static Portal create(PortalSettings settings) {
    return new Portal(new PortalHandler(settings));
  }

  /** Whether {@code path} (raw, as requested) is the portal's. */
  public static boolean serves(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  /** Serves one request under {@value #PREFIX}. */
  public void handle(HttpExchange exchange) throws Exception {
    handler.handle(exchange);
  }

  /**
   * Starts a session for a token obtained elsewhere and returns its cookie value: for tests that
   * drive pages without the browser sign-in. The token is checked by the API on every call, as a
   * signed-in person's is.
   */
  public String sessionFor(String accessToken, String user, String objectId, Instant expiresAt) {
    PortalSession session = handler.sessions().start(accessToken, user, objectId, expiresAt);
    return session.id();
  }
}
