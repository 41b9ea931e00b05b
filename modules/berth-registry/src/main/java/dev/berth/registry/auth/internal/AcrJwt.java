package dev.berth.registry.auth.internal;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.identity.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs and verifies the registry's own JWTs (ACR refresh and access tokens): RS256 with Berth's
 * key, issuer {@code Azure Container Registry}, audience the login server, and a claim naming the
 * registry instance: a login server outlives its registry ({@code <name>.<domain>} comes back with
 * the name, a loopback port may), and a token of a deleted registry must open nothing in a registry
 * created later under its name. Thread-safe.
 *
 * <p>Azure SDKs decode the payload with Java's standard (not URL-safe) Base64 decoder to read
 * {@code exp} (azure-sdk-for-java, {@code
 * sdk/containerregistry/azure-containers-containerregistry}, {@code
 * implementation/authentication/JsonWebToken.java}), so the payload's base64url text must hold no
 * {@code -} or {@code _}. In 7-bit JSON only a byte whose low six bits are all set ({@code > ? ~
 * DEL}) can produce them, so the JSON writer escapes those (and all non-ASCII) as {@code \\uXXXX};
 * a check after encoding, re-drawing the {@code jti} and a padding claim, keeps the guarantee
 * explicit.
 */
public final class AcrJwt {

  /** The {@code iss} of every ACR token. */
  public static final String ISSUER = "Azure Container Registry";

  /**
   * The registry instance a token was issued by: a digest of its storage key (which is not shown as
   * it is). Tokens issued before the claim existed count as issued by the registry's
   * lower-case-name instance, the only kind there was.
   */
  static final String INSTANCE_CLAIM = "registry_instance";

  /** How far clocks may disagree. */
  static final Duration SKEW = Duration.ofMinutes(2);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder()
                  .characterEscapes(new CleanEscapes())
                  .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                  .build())
          .build();

  private final SigningKeys keys;
  private final RSASSASigner signer;
  private final Clock clock;

  public AcrJwt(SigningKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
    try {
      this.signer = new RSASSASigner(keys.signingKey());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("signing key is unusable", e);
    }
  }

  /** The current time, to the second, as tokens carry it. */
  public Instant now() {
    return Instant.ofEpochSecond(clock.instant().getEpochSecond());
  }

  /**
   * Signs a token of {@code registry}: for its login server, naming its instance, followed by
   * {@code claims}.
   */
  public String sign(String subject, Registry registry, Duration lifetime, Map<String, ?> claims) {
    Map<String, Object> all = new LinkedHashMap<>(claims);
    all.put(INSTANCE_CLAIM, instance(registry.storageKey()));
    return sign(subject, registry.loginServer(), lifetime, all);
  }

  /**
   * The payload of a token {@code registry} signed with {@code grantType}, if it is valid now and
   * was issued by this very registry, not an earlier one of its name; otherwise why not.
   */
  public Verified verify(String token, Registry registry, String grantType) {
    Verified verified = verify(token, registry.loginServer(), grantType);
    if (verified.claims().isEmpty()) {
      return verified;
    }
    String legacy = instance(AcrDocuments.storageKey(null, registry.name()));
    String issuer = verified.claims().get().path(INSTANCE_CLAIM).asText(legacy);
    if (!issuer.equals(instance(registry.storageKey()))) {
      return Verified.refused(
          "the token was issued by an earlier registry named '"
              + registry.name()
              + "', deleted since; log in again");
    }
    return verified;
  }

  private static String instance(String storageKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(storageKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Signs a token whose payload holds the standard claims ({@code jti sub nbf exp iat iss aud
   * version}) followed by {@code claims}.
   */
  String sign(String subject, String audience, Duration lifetime, Map<String, ?> claims) {
    Instant now = now();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .type(JOSEObjectType.JWT)
            .keyID(keys.signingKey().getKeyID())
            .build();
    for (int attempt = 0; ; attempt++) {
      var payload = new LinkedHashMap<String, Object>();
      payload.put("jti", UUID.randomUUID().toString());
      payload.put("sub", subject);
      payload.put("nbf", now.getEpochSecond());
      payload.put("exp", now.plus(lifetime).getEpochSecond());
      payload.put("iat", now.getEpochSecond());
      payload.put("iss", ISSUER);
      payload.put("aud", audience);
      payload.put("version", "1.0");
      payload.putAll(claims);
      if (attempt > 0) {
        // Shifts every later byte's position; with the escapes above this never runs in practice.
        payload.put("pad", "x".repeat(RANDOM.nextInt(1, 4)));
      }
      Base64URL body = Base64URL.encode(json(payload));
      if (isStandardBase64Safe(body.toString())) {
        return signed(header, body);
      }
      if (attempt >= 16) {
        throw new IllegalStateException("cannot encode a token payload without - or _");
      }
    }
  }

  private String signed(JWSHeader header, Base64URL body) {
    String signingInput = header.toBase64URL() + "." + body;
    try {
      Base64URL signature = signer.sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + signature;
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
  }

  /**
   * The payload of a token this registry signed for {@code audience} with {@code grantType}, if it
   * is valid now; otherwise the reason it is not.
   */
  Verified verify(String token, String audience, String grantType) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token.strip());
    } catch (ParseException | RuntimeException e) {
      return Verified.refused("not a JWT");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !signedByBerth(jwt)) {
      return Verified.refused("the token is not signed by this registry");
    }
    JsonNode claims;
    try {
      claims = MAPPER.readTree(jwt.getPayload().toBytes());
    } catch (IOException e) {
      return Verified.refused("the token payload is not JSON");
    }
    Instant now = clock.instant();
    if (!ISSUER.equals(claims.path("iss").asText())) {
      return Verified.refused("the token was not issued by a container registry");
    }
    if (!audience.equalsIgnoreCase(claims.path("aud").asText())) {
      return Verified.refused(
          "the token is for '" + claims.path("aud").asText() + "', not '" + audience + "'");
    }
    if (!grantType.equals(claims.path("grant_type").asText())) {
      return Verified.refused(
          "a token of type '"
              + claims.path("grant_type").asText()
              + "' was given where a "
              + grantType.replace('_', ' ')
              + " is needed");
    }
    long exp = claims.path("exp").asLong(0);
    if (now.minus(SKEW).getEpochSecond() > exp) {
      return Verified.refused("the token expired at " + Instant.ofEpochSecond(exp));
    }
    if (now.plus(SKEW).getEpochSecond() < claims.path("nbf").asLong(0)) {
      return Verified.refused("the token is not valid yet");
    }
    return new Verified(Optional.of(claims), "");
  }

  private boolean signedByBerth(SignedJWT jwt) {
    String kid = jwt.getHeader().getKeyID();
    List<RSAKey> candidates =
        kid == null ? keys.all() : keys.byKeyId(kid).map(List::of).orElse(List.of());
    for (RSAKey key : candidates) {
      try {
        if (jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
          return true;
        }
      } catch (JOSEException e) {
        // An unusable key is a mismatch; try the next one.
      }
    }
    return false;
  }

  /** The outcome of {@link #verify}: the claims, or why the token was refused. */
  public record Verified(Optional<JsonNode> claims, String reason) {
    static Verified refused(String reason) {
      return new Verified(Optional.empty(), reason);
    }
  }

  /** True when standard Base64 can decode {@code base64url} text as it is. */
  public static boolean isStandardBase64Safe(String base64url) {
    return base64url.indexOf('-') < 0 && base64url.indexOf('_') < 0;
  }

  /** Decodes a token's payload the way the Java SDK does (standard alphabet, padding added). */
  public static byte[] decodePayloadLikeJavaSdk(String token) {
    String part = token.split("\\.")[1];
    return Base64.getDecoder().decode(part + "=".repeat((4 - part.length() % 4) % 4));
  }

  private static byte[] json(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write token claims", e);
    }
  }

  /** Escapes non-ASCII and the characters whose low six bits are all set ({@code > ? ~ DEL}). */
  private static final class CleanEscapes extends CharacterEscapes {
    private final int[] table;

    CleanEscapes() {
      table = CharacterEscapes.standardAsciiEscapesForJSON();
      for (char c : new char[] {'>', '?', '~', 127}) {
        table[c] = CharacterEscapes.ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
