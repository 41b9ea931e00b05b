package dev.berth.controlplane;

import dev.berth.api.ResourceId;
import dev.berth.http.HttpExchange;
import java.util.Map;
import java.util.Optional;

/**
 * A route a provider serves below a resource of its type besides the generic ones, such as a
 * container app replica's log stream; declared on the {@link ResourceType}, which must be a
 * top-level type in a resource group. The ARM layer serves it at {@code
 * /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{type}/{resourceName}/{path}}
 * with the type's api-versions, after authentication and with {@code action} checked at the
 * resource. Immutable; the handler must be thread-safe.
 *
 * @param name what the route table calls it, after the type: {@code logstream} becomes {@code
 *     containerApps.logstream}
 * @param path the template below the resource, such as {@code
 *     revisions/{revision}/replicas/{replica}/containers/{container}/logstream}
 * @param action the RBAC action the caller needs at the resource, such as {@code
 *     Microsoft.App/containerApps/getAuthToken/action}
 */
public record ProviderRoute(
    String name, String method, String path, String action, Handler handler) {

  /** Serves the route. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Sends the reply on {@code request.exchange()}; throw an {@link dev.berth.api.ArmException} to
     * answer an error in ARM's envelope.
     */
    void handle(Request request) throws Exception;
  }

  /**
   * One call of the route: the resource it is below, the variables of {@code path}, and the
   * exchange to answer on. Not thread-safe, like its exchange.
   */
  public record Request(ResourceId resource, Map<String, String> vars, HttpExchange exchange) {

    /** A variable of the route's {@code path}. */
    public String var(String name) {
      String v = vars.get(name);
      if (v == null) {
        throw new IllegalStateException("route has no variable " + name);
      }
      return v;
    }

    public Optional<String> query(String name) {
      return exchange.query(name);
    }
  }
}
