package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.CliHarness.Result;
import dev.berth.client.FakeBerth.Response;
import org.junit.jupiter.api.Test;

class MetricsCommandTest extends SignedInTest {

  @Test
  void printsTheTextWithTheSignedInToken() {
    String text =
        "# TYPE berth_ingress_requests_total counter\n"
            + "berth_ingress_requests_total{app=\"web\",revision=\"web--1\",status_class=\"2xx\"}"
            + " 3.0\n";
    cli.berth.on("GET", "/metrics", r -> Response.json(200, text));

    Result result = cli.run("metrics");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo(text);
    assertThat(cli.berth.requests("GET", "/metrics").get(0).header("Authorization"))
        .startsWith("Bearer ");
  }

  @Test
  void aRefusalIsPrintedAsArmsError() {
    cli.berth.on(
        "GET",
        "/metrics",
        r ->
            Response.json(
                403,
                "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client does not"
                    + " have authorization to perform action 'Microsoft.Insights/metrics/read'.\"}}"));

    Result result = cli.run("metrics");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("ERROR: (AuthorizationFailed)");
  }
}
