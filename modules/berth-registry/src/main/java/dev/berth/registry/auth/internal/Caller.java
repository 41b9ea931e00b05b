package dev.berth.registry.auth.internal;

import dev.berth.api.Principal;
import dev.berth.registry.AccessRequest;
import java.util.List;
import java.util.Optional;

/**
 * Who a registry request or token request turned out to be, once its credential was checked: the
 * input of {@link RegistryPermissions}. Immutable.
 */
public sealed interface Caller {

  /** The {@code sub} of the tokens issued to this caller and the grant's subject. */
  String subject();

  /**
   * The object id of the Entra principal behind this caller, if there is one: tokens issued to it
   * carry it (claim {@code oid}) and stop working once that principal is deleted.
   */
  default Optional<String> principalId() {
    return Optional.empty();
  }

  /** The registry's admin user: everything. */
  record Admin(String username) implements Caller {
    @Override
    public String subject() {
      return username;
    }
  }

  /** A repository-scoped token with the actions of its scope map. */
  record ScopeMapToken(String name, List<String> scopeMapActions) implements Caller {
    public ScopeMapToken {
      scopeMapActions = List.copyOf(scopeMapActions);
    }

    @Override
    public String subject() {
      return name;
    }
  }

  /** An Entra principal (service principal, managed identity): Azure RBAC decides. */
  record Entra(Principal principal) implements Caller {
    @Override
    public String subject() {
      return principal.objectId();
    }

    @Override
    public Optional<String> principalId() {
      return Optional.of(principal.objectId());
    }
  }

  /**
   * The bearer of an ACR access token presented as a password with the null-GUID user: it holds
   * what the token holds, on behalf of the token's principal if it names one.
   */
  record AccessTokenBearer(String subject, List<AccessRequest> access, Optional<String> principalId)
      implements Caller {
    public AccessTokenBearer {
      access = List.copyOf(access);
    }
  }

  /** No credential at all. */
  record Anonymous() implements Caller {
    @Override
    public String subject() {
      return "anonymous";
    }
  }
}
