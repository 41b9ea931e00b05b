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
import java.util.Objects;

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
    Instant now = config.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    Instant exp = now.plus(config.tokenLifetime());
    String uti = randomId();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .audience(audience)
            .issuer(config.issuer())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(exp))
            .subject(principal.objectId())
            .jwtID(uti)
            .claim("tid", config.tenantId())
            .claim("oid", principal.objectId())
            .claim("appid", principal.appId())
            .claim("azp", principal.appId())
            // 1 = the client authenticated with a secret, as Entra stamps client-credential tokens.
            .claim("appidacr", "1")
            .claim("azpacr", "1")
            .claim("idtyp", "app")
            .claim("ver", version.claim())
            .claim("uti", uti)
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .type(JOSEObjectType.JWT)
            .keyID(keys.signingKey().getKeyID())
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
    // Nimbus encodes header, payload and signature base64url without padding (RFC 7515).
    return new IssuedToken(jwt.serialize(), audience, now, exp);
  }

  private static String randomId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
