package dev.berth.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.api.Principal;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues Entra-shaped RS256 access tokens for a principal and an audience, signed by Berth's
 * current key. Claims follow Entra's app-only tokens: {@code aud iss tid oid sub appid azp idtyp
 * iat nbf exp ver uti jti}. Thread-safe.
 */
public final class TokenIssuer {

  /** Which token endpoint flavour asked: v1 ({@code resource=}) or v2 ({@code scope=}). */
  public enum Version {
    V1("1.0"),
    V2("2.0");

    private final String claim;

    Version(String claim) {
      this.claim = claim;
    }

    /** The {@code ver} claim. */
    public String claim() {
      return claim;
    }
  }

  /** A signed token and the instants it carries. */
  public record IssuedToken(
      String accessToken, String audience, Instant issuedAt, Instant expiresAt) {

    /** Seconds from {@code now} until expiry, as {@code expires_in} reports it. */
    public long expiresInSeconds(Instant now) {
      return Math.max(0, expiresAt.getEpochSecond() - now.getEpochSecond() - 1);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final IdentityConfig config;
  private final SigningKeys keys;
  private final RSASSASigner signer;

  public TokenIssuer(IdentityConfig config, SigningKeys keys) {
    this.config = Objects.requireNonNull(config);
    this.keys = Objects.requireNonNull(keys);
    try {
      this.signer = new RSASSASigner(keys.signingKey());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("signing key is unusable", e);
    }
  }

  /**
   * Issues a token for {@code principal} whose {@code aud} is {@code audience} exactly as given.
   * The caller has already checked that Berth issues for that audience.
   */
  public IssuedToken issue(Principal principal, String audience, Version version) {
    Instant now = now();
    return sign(
        base(audience, now)
            .subject(principal.objectId())
            .claim("oid", principal.objectId())
            .claim("appid", principal.appId())
            .claim("azp", principal.appId())
            // 1 = the client authenticated with a secret, as Entra stamps client-credential tokens.
            .claim("appidacr", "1")
            .claim("azpacr", "1")
            .claim("idtyp", "app")
            .claim("ver", version.claim()),
        audience,
        now);
  }

  /**
   * Issues a delegated (v2) access token for a signed-in user, as Entra does for the authorization
   * code flow: {@code idtyp} {@code user}, the user's names, the scope {@code scp}, and the public
   * client that asked as {@code appid}/{@code azp} ({@code appidacr} 0: no client secret).
   */
  public IssuedToken issueForUser(Principal user, String audience, String clientId, String scp) {
    Instant now = now();
    return sign(
        userClaims(base(audience, now), user)
            .claim("appid", clientId)
            .claim("azp", clientId)
            .claim("appidacr", "0")
            .claim("azpacr", "0")
            .claim("idtyp", "user")
            .claim("scp", scp)
            .claim("amr", List.of("pwd"))
            .claim("ver", Version.V2.claim()),
        audience,
        now);
  }

  /** An OpenID Connect ID token for {@code user}, addressed to the client that signed it in. */
  public String issueIdToken(Principal user, String clientId, Optional<String> nonce) {
    Instant now = now();
    JWTClaimsSet.Builder claims =
        userClaims(base(clientId, now), user).claim("ver", Version.V2.claim());
    nonce.ifPresent(n -> claims.claim("nonce", n));
    return sign(claims, clientId, now).accessToken();
  }

  private static JWTClaimsSet.Builder userClaims(JWTClaimsSet.Builder b, Principal user) {
    return b.subject(user.objectId())
        .claim("oid", user.objectId())
        .claim("name", user.displayName())
        .claim("preferred_username", user.appId());
  }

  private Instant now() {
    return config.clock().instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private JWTClaimsSet.Builder base(String audience, Instant now) {
    String uti = randomId();
    return new JWTClaimsSet.Builder()
        .audience(audience)
        .issuer(config.issuer())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(config.tokenLifetime())))
        .jwtID(uti)
        .claim("tid", config.tenantId())
        .claim("uti", uti);
  }

  private IssuedToken sign(JWTClaimsSet.Builder claims, String audience, Instant now) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .type(JOSEObjectType.JWT)
            .keyID(keys.signingKey().getKeyID())
            .build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
    // Nimbus encodes header, payload and signature base64url without padding (RFC 7515).
    return new IssuedToken(jwt.serialize(), audience, now, now.plus(config.tokenLifetime()));
  }

  private static String randomId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
