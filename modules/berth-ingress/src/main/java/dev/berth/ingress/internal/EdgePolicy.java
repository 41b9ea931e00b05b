package dev.berth.ingress.internal;

import dev.berth.ingress.AppRoute;
import dev.berth.ingress.IngressPolicy;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first check on a request for a known app: an internal app answers only connections that came
 * in on the environment's network (others get the 404 of an unknown host, as Container Apps' edge
 * gives them), and {@code ipSecurityRestrictions} judge the connection's peer address — never
 * {@code X-Forwarded-For}, which any client can write — with Container Apps' 403. Stateless;
 * thread-safe.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/ip-restrictions">IP ingress
 *     restrictions</a>
 */
final class EdgePolicy {

  private EdgePolicy() {}

  /**
   * Answers {@code request} itself when the app's policy refuses it.
   *
   * @return true when it answered (the caller stops), false to go on
   */
  static boolean refuses(
      Request request,
      Response response,
      Callback callback,
      String host,
      AppRoute route,
      Predicate<Request> fromEnvironment) {
    IngressPolicy policy = route.policy();
    if (policy.internal() && !fromEnvironment.test(request)) {
      return Replies.text(
          response,
          callback,
          HttpStatus.NOT_FOUND_404,
          "No container app has the host name "
              + host
              + " for callers outside its environment: internal ingress is reachable only from"
              + " the environment's replicas.\n");
    }
    if (!policy.ipRanges().isEmpty() && !policy.admits(peer(request))) {
      return Replies.text(
          response,
          callback,
          HttpStatus.FORBIDDEN_403,
          "Container app "
              + route.app()
              + " does not accept requests from "
              + Request.getRemoteAddr(request)
              + " (its ipSecurityRestrictions).\n");
    }
    return false;
  }

  /** The peer's raw address; an unknown one (no IP socket) matches no range. */
  private static byte[] peer(Request request) {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress ip && ip.getAddress() != null
        ? ip.getAddress().getAddress()
        : new byte[0];
  }
}
