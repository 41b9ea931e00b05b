package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/portal",
        "/portal?q=x",
        "/portal/resource/subscriptions/s/resourceGroups/rg",
        "/portal/resource/x?a=b:c"
      })
  void aPortalPathIsKept(String path) {
    assertThat(ReturnTo.local(path)).hasValue(path);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example/portal",
        "//evil.example/portal",
        "/\\evil.example",
        "/portal\\..\\evil",
        "/portal//evil.example",
        "/portal/..//evil.example",
        "/portalx",
        "/other",
        "portal",
        "javascript:alert(1)",
        "/portal/\r\nSet-Cookie: x=y",
        "/portal/\tx",
        "/portal/signin?returnTo=/portal",
        "/portal/signout",
        ""
      })
  void anythingElseIsNot(String path) {
    assertThat(ReturnTo.local(path)).isEmpty();
  }
}
