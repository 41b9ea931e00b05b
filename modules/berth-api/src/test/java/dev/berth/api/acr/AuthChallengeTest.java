package dev.berth.api.acr;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

  @Test
  void parsesAcrsBearerChallengeWithCommasInsideTheQuotedScope() {
    AuthChallenge c =
        AuthChallenge.parse(
                "Bearer realm=\"https://reg.example:8445/oauth2/token\",service=\"reg.example:8445\","
                    + "scope=\"repository:a/b:pull,push\",error=\"invalid_token\"")
            .orElseThrow();

    assertThat(c.isBearer()).isTrue();
    assertThat(c.realm()).contains("https://reg.example:8445/oauth2/token");
    assertThat(c.service()).contains("reg.example:8445");
    assertThat(c.scope()).contains("repository:a/b:pull,push");
    assertThat(c.parameter("error")).contains("invalid_token");
    assertThat(c.realmOrigin()).contains(URI.create("https://reg.example:8445"));
  }

  @Test
  void acceptsSpacesAfterCommasAndBareValues() {
    AuthChallenge c =
        AuthChallenge.parse("bearer Realm=\"https://r/oauth2/token\", service=r").orElseThrow();
    assertThat(c.isBearer()).isTrue();
    assertThat(c.service()).contains("r");
    assertThat(c.scope()).isEmpty();
  }

  @Test
  void basicChallengeIsNotBearer() {
    assertThat(AuthChallenge.parse("Basic realm=\"x\"").orElseThrow().isBearer()).isFalse();
    assertThat(AuthChallenge.parse("")).isEmpty();
  }
}
