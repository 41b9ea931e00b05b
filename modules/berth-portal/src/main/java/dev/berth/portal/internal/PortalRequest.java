package dev.berth.portal.internal;

import dev.berth.client.ArmClient;
import dev.berth.http.HttpExchange;

/**
 * One request to a page of a signed-in session: the exchange, the session, and an ARM client that
 * acts with the session's own token, so the API's RBAC decides what the page may read and do.
 *
 * @param exchange the HTTP exchange
 * @param session the signed-in session
 * @param arm the REST API, as the signed-in person
 * @param form the posted form, CSRF-checked already; empty for GET
 */
public record PortalRequest(
    HttpExchange exchange, PortalSession session, ArmClient arm, Form form) {}
