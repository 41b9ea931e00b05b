/**
 * ACR's authentication on a login server: {@code AcrTokenService} ({@code POST /oauth2/exchange}
 * and {@code /oauth2/token}: Entra token to ACR refresh token to ACR access token) and {@code
 * AcrAccess}, the {@code RegistryAccess} implementation that checks network rules, then the
 * credential (ACR bearer token, Basic admin, repository-scoped token or service principal, or
 * anonymous pull) and answers a Bearer challenge when more scope is needed. It decides with the
 * model of {@code dev.berth.api.acr} and identity's RBAC. The server wires both; the pull diagnosis
 * asks {@code AcrAccess} through the server's ports (docs/registry-auth.md).
 */
package dev.berth.registry.auth;
