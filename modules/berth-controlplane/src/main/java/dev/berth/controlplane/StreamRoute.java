package dev.berth.controlplane;

import dev.berth.api.ResourceId;

/**
 * A data-plane route a provider serves beside ARM, such as a container app's event stream: {@code
 * GET
 * /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/{typePath}/{resourceName}/{path}}
 * (no {@code /providers/} segment and no api-version, as Container Apps' log-stream host has
 * neither). Its callers bring no Entra token but a short-lived one the provider issued for that
 * resource ({@code getAuthToken}): the ARM layer reads {@code Authorization: Bearer <token>} and
 * has {@code tokens} check it against the resource before the handler runs, so a handler never sees
 * an unauthenticated request. Declared on a top-level {@link ResourceType}. Immutable; the check
 * and handler must be thread-safe.
 *
 * @param name what the route table calls it, after {@code stream.} and the type: {@code
 *     eventstream} becomes {@code stream.containerApps.eventstream}
 * @param path the template below the resource, such as {@code eventstream}
 */
public record StreamRoute(
    String name, String path, TokenCheck tokens, ProviderRoute.Handler handler) {

  /** Checks a stream token against the resource the request names. */
  @FunctionalInterface
  public interface TokenCheck {
    /**
     * Returns when {@code token} was issued for {@code resource} and is still valid; otherwise
     * throws an {@link dev.berth.api.ArmException} with a 401 code ({@code
     * InvalidAuthenticationToken}, {@code ExpiredAuthenticationToken}).
     */
    void check(String token, ResourceId resource);
  }
}
