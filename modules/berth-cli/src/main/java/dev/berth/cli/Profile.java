package dev.berth.cli;

import dev.berth.client.AccessToken;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The signed-in account saved by {@code berth login}: where Berth listens, which service principal
 * signs in (with its secret, needed to refresh tokens, as az keeps service-principal secrets), the
 * default subscription and the cached token. Immutable.
 */
record Profile(
    URI endpoint,
    URI authority,
    String tenantId,
    String subscriptionId,
    String clientId,
    String clientSecret,
    Optional<Path> caFile,
    Optional<AccessToken> token) {

  Profile withToken(AccessToken newToken) {
    return new Profile(
        endpoint,
        authority,
        tenantId,
        subscriptionId,
        clientId,
        clientSecret,
        caFile,
        Optional.of(newToken));
  }

  Profile withSubscription(String subscription) {
    return new Profile(
        endpoint, authority, tenantId, subscription, clientId, clientSecret, caFile, token);
  }
}
