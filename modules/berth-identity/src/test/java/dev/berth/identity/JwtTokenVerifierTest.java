package dev.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.Principal;
import dev.berth.http.Json;
import dev.berth.identity.TokenRejectedException.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtTokenVerifierTest {

  static final String TENANT = "72f988bf-0000-4000-8000-000000000001";
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final Principal ALICE =
      new Principal(
          "11111111-1111-4111-8111-111111111111",
          TENANT,
          "22222222-2222-4222-8222-222222222222",
          Principal.PrincipalType.ServicePrincipal,
          "alice");

  final SigningKeys keys = SigningKeys.ephemeral();
  final IdentityConfig config =
      IdentityConfig.of(TENANT, URI.create("https://127.0.0.1:8443"), Path.of("unused"))
          .withClock(Clock.fixed(NOW, ZoneOffset.UTC));
  final TokenIssuer issuer = new TokenIssuer(config, keys);
  final Map<String, Principal> principals = new HashMap<>(Map.of(ALICE.objectId(), ALICE));
  final JwtTokenVerifier verifier =
      new JwtTokenVerifier(config, keys, oid -> Optional.ofNullable(principals.get(oid)));

  @Test
  void anIssuedManagementTokenVerifiesAndNamesItsPrincipal() throws Exception {
    var token = issuer.issue(ALICE, "https://127.0.0.1:8443/", TokenIssuer.Version.V2);

    VerifiedToken verified = verifier.verify(token.accessToken(), config.managementAudiences());

    assertThat(verified.principal()).isEqualTo(ALICE);
    assertThat(verified.audience()).isEqualTo("https://127.0.0.1:8443/");
    assertThat(verified.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void tokenCarriesEntraClaimsInBase64UrlSegments() throws Exception {
    var token = issuer.issue(ALICE, IdentityConfig.REGISTRY_AUDIENCE, TokenIssuer.Version.V1);
    String[] parts = token.accessToken().split("\\.");
    assertThat(parts).hasSize(3);
    assertThat(token.accessToken()).doesNotContain("=", "+", "/");

    JsonNode header = decode(parts[0]);
    JsonNode claims = decode(parts[1]);
    assertThat(header.path("alg").asText()).isEqualTo("RS256");
    assertThat(header.path("typ").asText()).isEqualTo("JWT");
    assertThat(header.path("kid").asText()).isEqualTo(keys.signingKey().getKeyID());
    assertThat(claims.path("aud").asText()).isEqualTo("https://containerregistry.azure.net");
    assertThat(claims.path("iss").asText()).isEqualTo("https://127.0.0.1:8443/" + TENANT + "/v2.0");
    assertThat(claims.path("tid").asText()).isEqualTo(TENANT);
    assertThat(claims.path("oid").asText()).isEqualTo(ALICE.objectId());
    assertThat(claims.path("sub").asText()).isEqualTo(ALICE.objectId());
    assertThat(claims.path("appid").asText()).isEqualTo(ALICE.appId());
    assertThat(claims.path("azp").asText()).isEqualTo(ALICE.appId());
    assertThat(claims.path("idtyp").asText()).isEqualTo("app");
    assertThat(claims.path("ver").asText()).isEqualTo("1.0");
    assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.path("nbf").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3600);
    assertThat(claims.path("uti").asText()).isNotEmpty().isEqualTo(claims.path("jti").asText());
  }

  @Test
  void expiredTokenIsRefusedOnceTheSkewHasPassed() {
    String token =
        issuer.issue(ALICE, "https://management.azure.com/", TokenIssuer.Version.V2).accessToken();
    assertThat(reasonAt(token, NOW.plus(Duration.ofMinutes(61)))).isEmpty();
    assertThat(reasonAt(token, NOW.plus(Duration.ofMinutes(63)))).contains(Reason.EXPIRED);
  }

  @Test
  void tokenFromTheFutureIsNotYetValid() {
    String token =
        issuer.issue(ALICE, "https://management.azure.com/", TokenIssuer.Version.V2).accessToken();
    assertThat(reasonAt(token, NOW.minus(Duration.ofMinutes(1)))).isEmpty();
    assertThat(reasonAt(token, NOW.minus(Duration.ofMinutes(5)))).contains(Reason.NOT_YET_VALID);
  }

  @Test
  void registryTokenIsRefusedWhereOnlyManagementAudiencesAreAccepted() {
    String token =
        issuer.issue(ALICE, IdentityConfig.REGISTRY_AUDIENCE, TokenIssuer.Version.V2).accessToken();
    assertThat(reason(verifier, token, config.managementAudiences()))
        .contains(Reason.WRONG_AUDIENCE);
    assertThat(reason(verifier, token, Set.of(IdentityConfig.REGISTRY_AUDIENCE))).isEmpty();
  }

  @Test
  void tokenSignedByAnotherKeyHasABadSignature() {
    TokenIssuer stranger = new TokenIssuer(config, SigningKeys.ephemeral());
    String token =
        stranger
            .issue(ALICE, "https://management.azure.com/", TokenIssuer.Version.V2)
            .accessToken();
    assertThat(reason(verifier, token, config.managementAudiences()))
        .contains(Reason.BAD_SIGNATURE);
  }

  @Test
  void tamperedPayloadHasABadSignature() {
    String token =
        issuer.issue(ALICE, "https://management.azure.com/", TokenIssuer.Version.V2).accessToken();
    String[] parts = token.split("\\.");
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace(ALICE.objectId(), "99999999-9999-4999-8999-999999999999")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(
            reason(
                verifier, parts[0] + "." + forged + "." + parts[2], config.managementAudiences()))
        .contains(Reason.BAD_SIGNATURE);
  }

  @Test
  void unsignedAndGarbageTokensAreMalformed() {
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"oid\":\"x\"}") + ".";
    assertThat(reason(verifier, none, config.managementAudiences())).contains(Reason.MALFORMED);
    assertThat(reason(verifier, "not-a-jwt", config.managementAudiences()))
        .contains(Reason.MALFORMED);
    assertThat(reason(verifier, "", config.managementAudiences())).contains(Reason.MALFORMED);
  }

  @Test
  void tokenOfAnotherIssuerIsRefused() {
    IdentityConfig other =
        IdentityConfig.of(TENANT, URI.create("https://elsewhere:9443"), Path.of("unused"))
            .withClock(config.clock());
    String token =
        new TokenIssuer(other, keys)
            .issue(ALICE, "https://management.azure.com/", TokenIssuer.Version.V2)
            .accessToken();
    assertThat(reason(verifier, token, config.managementAudiences())).contains(Reason.WRONG_ISSUER);
  }

  @Test
  void tokenOfADeletedPrincipalIsRefused() {
    String token =
        issuer.issue(ALICE, "https://management.azure.com/", TokenIssuer.Version.V2).accessToken();
    principals.clear();
    assertThat(reason(verifier, token, config.managementAudiences()))
        .contains(Reason.UNKNOWN_PRINCIPAL);
  }

  private Optional<Reason> reasonAt(String token, Instant at) {
    JwtTokenVerifier later =
        new JwtTokenVerifier(
            config.withClock(Clock.fixed(at, ZoneOffset.UTC)),
            keys,
            oid -> Optional.ofNullable(principals.get(oid)));
    return reason(later, token, config.managementAudiences());
  }

  private static Optional<Reason> reason(JwtTokenVerifier v, String token, Set<String> audiences) {
    TokenRejectedException e =
        catchThrowableOfType(TokenRejectedException.class, () -> v.verify(token, audiences));
    return Optional.ofNullable(e).map(TokenRejectedException::reason);
  }

  private static JsonNode decode(String segment) throws Exception {
    return Json.parse(Base64.getUrlDecoder().decode(segment));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
