package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.AuthChallenge;
import dev.berth.client.BerthUnreachableException;
import dev.berth.client.RegistryCallException;
import dev.berth.client.RegistryClient;

/**
 * The token flow of {@code az acr login}: read the login server's challenge, get an Entra token for
 * the audience the registry accepts, exchange it for an ACR refresh token. Stateless.
 *
 * @see <a href="https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md">ACR AAD-OAuth</a>
 * @see <a
 *     href="https://learn.microsoft.com/azure/container-registry/container-registry-disable-authentication-as-arm">ACR:
 *     ARM-audience tokens</a> (which audience the registry accepts)
 */
final class RegistryLogin {

  /** The ACR audience; az hard-codes the public-cloud value and so does Berth. */
  static final String ACR_SCOPE = "https://containerregistry.azure.net/.default";

  /** The null GUID that tells a registry the password is an ACR refresh token. */
  static final String TOKEN_USERNAME = "00000000-0000-0000-0000-000000000000";

  /** A refresh token for a login server, and a client that uses it for data-plane calls. */
  record Credential(String loginServer, String refreshToken, RegistryClient client) {}

  private RegistryLogin() {}

  /**
   * Logs in to {@code registry} (its ARM JSON). The Entra token has the ARM audience unless {@code
   * acrAudience} or the registry's {@code azureADAuthenticationAsArmPolicy} is disabled, as az
   * decides.
   */
  static Credential login(Session session, String name, JsonNode registry, boolean acrAudience) {
    String loginServer = registry.path("properties").path("loginServer").asText("");
    if (loginServer.isEmpty()) {
      throw new CliFailure("Registry '" + name + "' has no loginServer.");
    }
    RegistryClient client = session.registry(loginServer);
    AuthChallenge challenge;
    try {
      challenge = client.challenge();
    } catch (BerthUnreachableException e) {
      throw new CliFailure(
          "Could not connect to the registry login server '"
              + loginServer
              + "'. Please verify that the registry exists and the URL 'https://"
              + loginServer
              + "/v2/' is reachable from your environment.");
    } catch (RegistryCallException e) {
      if (e.status() == 403) {
        throw new CliFailure(
            "Looks like you don't have access to registry '"
                + loginServer
                + "' ("
                + e.code()
                + ": "
                + e.getMessage()
                + "). Its network rules or public network access refuse this client: see them"
                + " with 'berth acr network-rule list -n "
                + name
                + "' and 'berth acr show -n "
                + name
                + "'.");
      }
      throw e;
    }
    boolean disabled = "disabled".equalsIgnoreCase(AcrConfigCommand.armAudienceStatus(registry));
    String entraToken = acrAudience || disabled ? session.token(ACR_SCOPE) : session.token();
    String refresh = client.exchange(challenge, session.profile().tenantId(), entraToken);
    return new Credential(loginServer, refresh, client.withRefreshToken(refresh));
  }
}
