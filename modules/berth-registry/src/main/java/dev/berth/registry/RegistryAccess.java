package dev.berth.registry;

import dev.berth.api.acr.Registry;
import dev.berth.http.HttpExchange;
import java.util.List;

/**
 * Grant-or-challenge for the data plane: may the caller of this request do these things in this
 * registry? Verifying the credential (an ACR access token, Basic admin or token credentials,
 * anonymous pull) and the network rules is the implementation's business; the distribution
 * endpoints only say what they need. Thread-safe.
 */
public interface RegistryAccess {

  /**
   * @return the grant, holding every requested action
   * @throws RegistryException {@code UNAUTHORIZED} with a {@code WWW-Authenticate: Bearer
   *     realm=…,service=…,scope=…} challenge when the caller must (re)authenticate or lacks an
   *     action; {@code DENIED} (403) when a network rule refuses the caller's address
   */
  Grant authorize(HttpExchange exchange, Registry registry, List<AccessRequest> wanted);
}
