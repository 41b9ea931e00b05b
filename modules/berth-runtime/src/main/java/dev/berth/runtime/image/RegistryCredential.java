package dev.berth.runtime.image;

import java.util.function.Supplier;

/** How a pull authenticates to a registry. */
public sealed interface RegistryCredential {

  /** No credentials: anonymous pull, or a registry that challenges with nothing. */
  record Anonymous() implements RegistryCredential {}

  /**
   * A user name and password (an ACR admin user, a scope-map token, any registry's basic or
   * password-grant login).
   */
  record Basic(String username, String password) implements RegistryCredential {
    @Override
    public String toString() {
      return "Basic[" + username + ", ****]";
    }
  }

  /**
   * A managed identity, as Container Apps pulls from ACR: an Entra access token for the identity
   * (audience: the management API) is exchanged at {@code POST /oauth2/exchange} for an ACR refresh
   * token, which buys the repository-scoped access token at {@code POST /oauth2/token}.
   *
   * @param identity what the error messages name: {@code system} or the identity's resource id
   * @param entraToken mints a fresh Entra access token for the identity when called
   */
  record ManagedIdentity(String identity, Supplier<String> entraToken)
      implements RegistryCredential {}
}
