package dev.berth.identity;

import java.util.Set;

/**
 * Checks a bearer token that Berth's token service issued: signature (by a key in Berth's JWKS),
 * issuer, lifetime and audience. Separate from authorization, which decides what the caller may do.
 * Thread-safe.
 */
public interface TokenVerifier {

  /**
   * @param audiences the audiences the caller accepts (any one must match the token's {@code aud})
   * @throws TokenRejectedException saying why the token is refused
   */
  VerifiedToken verify(String token, Set<String> audiences) throws TokenRejectedException;
}
