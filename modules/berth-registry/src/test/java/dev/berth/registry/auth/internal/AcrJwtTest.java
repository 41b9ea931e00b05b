package dev.berth.registry.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.NetworkRules;
import dev.berth.api.acr.Registry;
import dev.berth.identity.SigningKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AcrJwtTest {

  private static final SigningKeys KEYS = SigningKeys.ephemeral();

  @Test
  void payloadsDecodeWithTheStandardBase64DecoderWhateverTheSubject() throws Exception {
    AcrJwt jwt = new AcrJwt(KEYS, Clock.systemUTC());
    Random random = new Random(42);
    String alphabet = "abcXYZ019-_./:?>~<=&é€\u007f ";
    for (int i = 0; i < 2000; i++) {
      StringBuilder subject = new StringBuilder();
      for (int n = random.nextInt(1, 40); n > 0; n--) {
        subject.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String token =
          jwt.sign(
              subject.toString(),
              "localhost:5001",
              Duration.ofMinutes(75),
              Map.of(
                  "access",
                  List.of(
                      Map.of("type", "repository", "name", "a?b>c~", "actions", List.of("pull")))));
      String payload = token.split("\\.")[1];
      assertThat(payload).doesNotContain("-", "_");
      JsonNode claims = new ObjectMapper().readTree(AcrJwt.decodePayloadLikeJavaSdk(token));
      assertThat(claims.path("sub").asText()).isEqualTo(subject.toString());
      assertThat(claims.path("exp").isNumber()).isTrue();
    }
  }

  @Test
  void verifiesItsOwnTokensAndRefusesExpiredOnesAndOtherAudiences() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    AcrJwt signer = new AcrJwt(KEYS, Clock.fixed(t0, ZoneOffset.UTC));
    String token =
        signer.sign(
            "me", "localhost:5001", Duration.ofMinutes(75), Map.of("grant_type", "access_token"));
    assertThat(signer.verify(token, "localhost:5001", "access_token").claims()).isPresent();
    assertThat(signer.verify(token, "localhost:5001", "refresh_token").reason()).contains("type");
    assertThat(signer.verify(token, "other:5002", "access_token").reason()).contains("other:5002");
    AcrJwt later = new AcrJwt(KEYS, Clock.fixed(t0.plus(Duration.ofMinutes(80)), ZoneOffset.UTC));
    assertThat(later.verify(token, "localhost:5001", "access_token").reason()).contains("expired");
    AcrJwt stranger = new AcrJwt(SigningKeys.ephemeral(), Clock.fixed(t0, ZoneOffset.UTC));
    assertThat(stranger.verify(token, "localhost:5001", "access_token").reason())
        .contains("not signed");
  }

  private static Registry registry(String storageKey) {
    return new Registry(
        ResourceId.parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/MyAcr"),
        storageKey,
        "localhost:5001",
        false,
        false,
        new NetworkRules(true, false, List.of()),
        true,
        false);
  }

  @Test
  void aTokenOpensOnlyTheRegistryInstanceThatIssuedIt() {
    AcrJwt signer = new AcrJwt(KEYS, Clock.systemUTC());
    Registry legacy = registry("myacr");
    Registry first = registry(AcrDocuments.newStorageKey("MyAcr"));
    Registry second = registry(AcrDocuments.newStorageKey("MyAcr"));
    Map<String, String> claims = Map.of("grant_type", "access_token");

    String token = signer.sign("me", first, Duration.ofMinutes(75), claims);
    assertThat(signer.verify(token, first, "access_token").claims()).isPresent();
    assertThat(signer.verify(token, second, "access_token").reason())
        .isEqualTo(
            "the token was issued by an earlier registry named 'MyAcr', deleted since; log in again");
    assertThat(signer.verify(token, legacy, "access_token").claims()).isEmpty();
    // The claim is a digest: the storage key itself is not shown.
    assertThat(token.split("\\.")[1]).doesNotContain(first.storageKey());

    // Tokens from before the claim were all issued by registries keyed by their name.
    String old = signer.sign("me", "localhost:5001", Duration.ofMinutes(75), claims);
    assertThat(signer.verify(old, legacy, "access_token").claims()).isPresent();
    assertThat(signer.verify(old, first, "access_token").claims()).isEmpty();
  }
}
