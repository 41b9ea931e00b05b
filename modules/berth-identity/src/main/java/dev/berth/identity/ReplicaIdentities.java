package dev.berth.identity;

import java.util.List;
import java.util.Optional;

/**
 * Which managed identities the replica holding an {@code IDENTITY_HEADER} secret may use: the port
 * {@link ManagedIdentityEndpoint} asks on every request. Each replica gets its own random secret,
 * mapped to its app's identities only; {@link ReplicaIdentityTable} is the in-memory
 * implementation. Implementations must be thread-safe and must not leak, through timing, how much
 * of a wrong secret matched.
 */
public interface ReplicaIdentities {

  /**
   * The identities bound to the replica whose secret is {@code identityHeader} (possibly an empty
   * list: an app without identities), or empty when no running replica holds that secret.
   */
  Optional<List<BoundIdentity>> forSecret(String identityHeader);
}
