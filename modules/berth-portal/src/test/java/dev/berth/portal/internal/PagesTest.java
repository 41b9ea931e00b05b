package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagesTest {

  private final Pages pages = new Pages();

  private static PortalSession session(String user) {
    return new PortalSession("id", "csrf-token", "token", user, "oid", Instant.MAX);
  }

  @Test
  void aPageEscapesWhatTheApiReturned() {
    HomePage.Row row =
        new HomePage.Row("<script>alert(1)</script>", "Container App", "rg", "local", "/portal/x");
    String html =
        new String(
            pages.render(
                "home.jte",
                Map.of(
                    "chrome",
                    Chrome.of("Home", session("ann"), List.of()),
                    "search",
                    "\"><img src=x>",
                    "subscriptions",
                    List.of(
                        new HomePage.Subscription("Default", "sub", List.of(), List.of(row), "")))),
            StandardCharsets.UTF_8);

    assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
    assertThat(html).doesNotContain("\"><img src=x>");
  }

  @Test
  void theLayoutCarriesTheCsrfTokenAndNeverTheAccessToken() {
    String html =
        new String(
            pages.render(
                "error.jte",
                Map.of(
                    "chrome",
                    Chrome.of("Error", session("ann"), List.of(Link.to("Home", "/portal"))),
                    "status",
                    403,
                    "code",
                    "AuthorizationFailed",
                    "message",
                    "no")),
            StandardCharsets.UTF_8);

    assertThat(html).contains("value=\"csrf-token\"").contains("AuthorizationFailed");
    assertThat(html).doesNotContain("\"token\"");
  }

  @Test
  void theStaticAssetsAreOnTheClassPath() {
    new StaticAssets(); // throws when htmx's WebJar or the portal's own files are missing
  }
}
