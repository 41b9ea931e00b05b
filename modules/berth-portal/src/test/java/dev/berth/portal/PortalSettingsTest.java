package dev.berth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The app URLs pages show open the app: they name the ingress port when it is not 443. */
class PortalSettingsTest {

  private static PortalSettings onPort(int port) {
    URI self = URI.create("https://localhost:8443/");
    return new PortalSettings(
        self, self, "tenant", HttpClient.newHttpClient(), Clock.systemUTC(), port);
  }

  @Test
  void anIngressOn443NeedsNoPortInTheUrl() {
    assertThat(onPort(443).appUrl("web.env.abc.localhost"))
        .isEqualTo("https://web.env.abc.localhost/");
  }

  @Test
  void anIngressOnAnotherPortIsNamedInTheUrl() {
    assertThat(onPort(10443).appUrl("web.env.abc.localhost"))
        .isEqualTo("https://web.env.abc.localhost:10443/");
  }

  @Test
  void noFqdnIsNoUrl() {
    assertThat(onPort(10443).appUrl("")).isEmpty();
    assertThat(onPort(0).appUrl("web.env.abc.localhost"))
        .isEqualTo("https://web.env.abc.localhost/");
  }
}
