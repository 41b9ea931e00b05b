package dev.berth.portal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container app templates: every fix form carries the CSRF token; API text is escaped. */
class AppTemplatesTest {

  private final Pages pages = new Pages();

  @Test
  void aFixButtonIsAFormWithTheCsrfTokenAndTheFindingIsEscaped() {
    Diagnoses.RevisionDiagnosis d =
        new Diagnoses.RevisionDiagnosis(
            "web--1",
            false,
            List.of(
                new Diagnoses.FindingView(
                    "ARM_AUDIENCE_DISABLED",
                    "<b>acr</b> refuses ARM-audience tokens",
                    "why",
                    List.of(
                        "berth acr config authentication-as-arm update -r acr --status enabled"),
                    List.of(
                        new Diagnoses.FixButton("Enable", "arm-policy", "/subscriptions/s", "")))),
            "");
    String html =
        new String(
            pages.render(
                "app/diagnosis.jte",
                Map.of("d", d, "csrf", "the-token", "fixUrl", "/portal/x/fix", "back", "")),
            StandardCharsets.UTF_8);

    assertThat(html)
        .contains("name=\"_csrf\" value=\"the-token\"", "data-fix=\"arm-policy\"")
        .contains("&lt;b&gt;acr&lt;/b&gt;")
        .doesNotContain("<b>acr</b>");
  }

  @Test
  void aSettledStatusStopsPollingAndAnUnsettledOnePollsEveryTwoSeconds() throws Exception {
    AppView app =
        new AppView(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/web",
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"name\":\"web\"}"));
    String polling = status(app, false);
    String settled = status(app, true);

    assertThat(polling).contains("hx-trigger=\"every 2s\"", "hx-get=\"/portal/next\"");
    assertThat(settled).doesNotContain("hx-trigger").doesNotContain("hx-get");
  }

  private String status(AppView app, boolean settled) {
    return new String(
        pages.render(
            "app/status.jte",
            Map.of(
                "app",
                app,
                "provisioning",
                "Succeeded",
                "latest",
                "web--1",
                "running",
                "Running",
                "settled",
                settled,
                "next",
                "/portal/next")),
        StandardCharsets.UTF_8);
  }

  @Test
  void theAppsChromeLeadsHomeThroughItsGroup() throws Exception {
    AppView app =
        new AppView(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/web",
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"name\":\"web\"}"));
    PortalSession session = new PortalSession("id", "csrf", "token", "ann", "oid", Instant.MAX);
    PortalRequest request = new PortalRequest(null, session, null, Form.EMPTY);
    Chrome chrome = app.chrome(request, "revisions", "Revisions and replicas");

    assertThat(chrome.breadcrumbs()).extracting(Link::label).containsExactly("Home", "rg", "web");
    assertThat(chrome.blades())
        .filteredOn(Link::current)
        .extracting(Link::label)
        .containsExactly("Revisions and replicas");
  }
}
