package dev.berth.ingress.internal;

import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Caller;
import dev.berth.ingress.IngressPolicy;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Predicate;

/**
 * The first check on a request for a known app: an internal app answers only connections that came
 * in on the environment's network from one of its own environment's replicas (others get the 404 of
 * an unknown host, as Container Apps' edge gives them), and {@code ipSecurityRestrictions} judge
 * the connection's peer address — never {@code X-Forwarded-For}, which any client can write — with
 * Container Apps' 403. Stateless; thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/ip-restrictions">IP ingress
 *     restrictions</a>
 */
final class EdgePolicy {

  private EdgePolicy() {}

  /** The answer refusing {@code caller}, or null when the app's policy lets it through. */
  static FullHttpResponse refusal(
      String host, AppRoute route, Caller caller, Predicate<Caller> fromEnvironment) {
    IngressPolicy policy = route.policy();
    if (policy.internal()
        && !(fromEnvironment.test(caller) && policy.insider(caller.peerAddress()))) {
      return Replies.text(
          HttpResponseStatus.NOT_FOUND,
          "No container app has the host name "
              + host
              + " for callers outside its environment: internal ingress is reachable only from"
              + " the environment's replicas.\n");
    }
    if (!policy.ipRanges().isEmpty() && !policy.admits(peer(caller))) {
      return Replies.text(
          HttpResponseStatus.FORBIDDEN,
          "Container app "
              + route.app()
              + " does not accept requests from "
              + caller.peerAddress()
              + " (its ipSecurityRestrictions).\n");
    }
    return null;
  }

  /** The peer's raw address; an unresolved one matches no range. */
  private static byte[] peer(Caller caller) {
    return caller.peer().getAddress() == null
        ? new byte[0]
        : caller.peer().getAddress().getAddress();
  }
}
