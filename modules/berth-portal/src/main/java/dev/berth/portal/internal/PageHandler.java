package dev.berth.portal.internal;

/** Serves one route of the portal for a signed-in session. */
@FunctionalInterface
public interface PageHandler {
  void handle(PortalRequest request) throws Exception;
}
