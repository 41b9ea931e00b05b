package dev.berth.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.api.Principal;
import dev.berth.identity.TokenRejectedException.Reason;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies tokens Berth issued: RS256 only, signed by a key of Berth's JWKS, Berth's issuer, within
 * {@code nbf}/{@code exp} (two minutes' skew), an accepted audience, and a principal that still
 * exists. Thread-safe.
 */
public final class JwtTokenVerifier implements TokenVerifier {

  /** How far clocks may disagree, as Entra's own validators allow. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  private final IdentityConfig config;
  private final SigningKeys keys;
  private final Function<String, Optional<Principal>> principalByObjectId;

  /**
   * @param principalByObjectId finds the principal a token's {@code oid} names; compose it to cover
   *     managed identities as well as the {@link Directory}
   */
  public JwtTokenVerifier(
      IdentityConfig config,
      SigningKeys keys,
      Function<String, Optional<Principal>> principalByObjectId) {
    this.config = Objects.requireNonNull(config);
    this.keys = Objects.requireNonNull(keys);
    this.principalByObjectId = Objects.requireNonNull(principalByObjectId);
  }

  /** A verifier that knows the service principals of {@code directory} only. */
  public static JwtTokenVerifier forDirectory(
      IdentityConfig config, SigningKeys keys, Directory directory) {
    return new JwtTokenVerifier(config, keys, directory::findByObjectId);
  }

  @Override
  public VerifiedToken verify(String token, Set<String> audiences) throws TokenRejectedException {
    SignedJWT jwt = parse(token);
    checkSignature(jwt);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "token claims are not JSON");
    }
    if (!config.issuer().equals(claims.getIssuer())
        || !config.tenantId().equalsIgnoreCase(stringClaim(claims, "tid"))) {
      throw new TokenRejectedException(
          Reason.WRONG_ISSUER, "token issuer '" + claims.getIssuer() + "' is not Berth's");
    }
    Instant now = config.clock().instant();
    Date exp = claims.getExpirationTime();
    if (exp == null || now.minus(CLOCK_SKEW).isAfter(exp.toInstant())) {
      throw new TokenRejectedException(Reason.EXPIRED, "token expired at " + instant(exp));
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) {
      throw new TokenRejectedException(
          Reason.NOT_YET_VALID, "token is not valid before " + nbf.toInstant());
    }
    String audience = matchingAudience(claims.getAudience(), audiences);
    String oid = stringClaim(claims, "oid");
    if (oid == null) {
      throw new TokenRejectedException(Reason.MALFORMED, "token names no oid");
    }
    Principal principal =
        principalByObjectId
            .apply(oid)
            .orElseThrow(
                () ->
                    new TokenRejectedException(
                        Reason.UNKNOWN_PRINCIPAL, "principal " + oid + " no longer exists"));
    return new VerifiedToken(principal, audience, exp.toInstant());
  }

  private static SignedJWT parse(String token) throws TokenRejectedException {
    if (token == null || token.isBlank()) {
      throw new TokenRejectedException(Reason.MALFORMED, "no token");
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token.strip());
      // Only RS256: refuses "none", HMAC with the public key as secret, and anything else.
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
        throw new TokenRejectedException(
            Reason.MALFORMED, "token algorithm " + jwt.getHeader().getAlgorithm() + " refused");
      }
      return jwt;
    } catch (ParseException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "not a signed JWT");
    }
  }

  private void checkSignature(SignedJWT jwt) throws TokenRejectedException {
    String kid = jwt.getHeader().getKeyID();
    List<RSAKey> candidates =
        kid == null ? keys.all() : keys.byKeyId(kid).map(List::of).orElse(List.of());
    for (RSAKey key : candidates) {
      try {
        if (jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
          return;
        }
      } catch (JOSEException e) {
        // A key that cannot verify counts as a mismatch; try the next one.
      }
    }
    throw new TokenRejectedException(Reason.BAD_SIGNATURE, "token is not signed by Berth");
  }

  private static String matchingAudience(List<String> tokenAudiences, Set<String> accepted)
      throws TokenRejectedException {
    for (String aud : tokenAudiences) {
      for (String ok : accepted) {
        if (IdentityConfig.normalize(ok).equals(IdentityConfig.normalize(aud))) {
          return aud;
        }
      }
    }
    throw new TokenRejectedException(
        Reason.WRONG_AUDIENCE, "token audience " + tokenAudiences + " is not accepted here");
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    return v instanceof String s ? s : null;
  }

  private static String instant(Date d) {
    return d == null ? "(no exp)" : d.toInstant().toString();
  }
}
