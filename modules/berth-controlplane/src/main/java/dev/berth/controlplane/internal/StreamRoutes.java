package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.controlplane.ProviderRoute;
import dev.berth.controlplane.ResourceType;
import dev.berth.controlplane.StreamRoute;
import java.util.Optional;

/**
 * Turns a provider's {@link StreamRoute} into a row of the ARM route table: anonymous to the
 * chain's Entra authentication (its callers hold no Entra token) and needing no api-version, but
 * never reaching its handler before the route's own token check passed for the resource the path
 * names. Every refusal is a 401 in ARM's envelope with a {@code WWW-Authenticate: Bearer}
 * challenge. Stateless.
 */
final class StreamRoutes {

  /** The prefix of every stream route's name, which marks it in the route table. */
  static final String PREFIX = "stream.";

  private StreamRoutes() {}

  static ArmRoute route(ResourceType type, StreamRoute r) {
    return new ArmRoute(
        PREFIX + type.typePath() + "." + r.name(),
        c -> ArmRoute.ApiVersionRule.notRequired(),
        true,
        c -> Optional.empty(),
        false,
        c -> {
          ResourceId resource =
              ResourceId.resourceGroup(c.var("subscriptionId"), c.var("resourceGroupName"))
                  .provider(type.namespace(), type.typePath(), c.var("resourceName"));
          try {
            r.tokens().check(bearer(c), resource);
          } catch (ArmException e) {
            throw e.status() == 401 ? challenge(e.code(), e.getMessage()) : e;
          }
          r.handler().handle(new ProviderRoute.Request(resource, c.vars(), c.exchange()));
        });
  }

  /** The token of {@code Authorization: Bearer <token>}; never logged, never echoed. */
  private static String bearer(ArmCall c) {
    String header = c.header("Authorization").map(String::strip).orElse("");
    if (header.isEmpty()) {
      throw challenge(
          ArmErrorCode.AuthenticationFailed,
          "Authentication failed. The 'Authorization' header is missing: send the token that"
              + " getAuthToken returned as 'Authorization: Bearer <token>'.");
    }
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw challenge(
          ArmErrorCode.AuthenticationFailed,
          "Authentication failed. The 'Authorization' header is provided in an invalid format;"
              + " use 'Bearer <token>'.");
    }
    return header.substring(7).strip();
  }

  /** A refusal with the challenge a Bearer client expects. */
  static ArmException challenge(ArmErrorCode code, String message) {
    return ArmException.of(code, message)
        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }
}
