package dev.berth.cli;

import dev.berth.client.FakeBerth;
import dev.berth.client.FakeBerth.Response;
import java.util.Map;

/**
 * One registry in a {@link FakeBerth}: its ARM resource ({@code myacr} in {@code rg1}), and its
 * login server on the same port ({@code localhost:<port>}) with the ACR challenge, exchange and
 * token endpoints. Not thread-safe (configure before running commands).
 */
final class FakeAcr {

  static final String NAME = "myacr";
  static final String GROUP = "rg1";
  static final String REFRESH_TOKEN = "acr-refresh-1";

  final CliHarness cli;
  final FakeBerth berth;
  final String id;
  final String loginServer;

  /** The registry's {@code policies} JSON; null leaves them out. */
  String policies;

  FakeAcr(CliHarness cli) {
    this.cli = cli;
    this.berth = cli.berth;
    this.id =
        cli.subscriptionPath()
            + "/resourceGroups/"
            + GROUP
            + "/providers/Microsoft.ContainerRegistry/registries/"
            + NAME;
    this.loginServer = "localhost:" + berth.endpoint().getPort();
  }

  String json() {
    return """
        {"id":"%s","name":"%s","type":"Microsoft.ContainerRegistry/registries","location":"local",
         "sku":{"name":"Premium"},
         "properties":{"loginServer":"%s","adminUserEnabled":false,"provisioningState":"Succeeded"%s}}"""
        .formatted(id, NAME, loginServer, policies == null ? "" : ",\"policies\":" + policies);
  }

  /** The resources list (with one other registry) and the registry's GET. */
  FakeAcr onArm() {
    berth.on(
        "GET",
        cli.subscriptionPath() + "/resources",
        r ->
            Response.json(
                200,
                """
                {"value":[{"id":"/subscriptions/x/resourceGroups/other/providers/Microsoft.ContainerRegistry/registries/otheracr","name":"otheracr"},
                          {"id":"%s","name":"MyAcr"}]}"""
                    .formatted(id)));
    berth.on("GET", id, r -> Response.json(200, json()));
    return this;
  }

  String challenge(String scope) {
    String realm = "https://" + loginServer + "/oauth2/token";
    return "Bearer realm=\"%s\",service=\"%s\"%s"
        .formatted(realm, loginServer, scope == null ? "" : ",scope=\"" + scope + "\"");
  }

  Response unauthorized(String scope) {
    return Response.json(
            401,
            "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")
        .with("WWW-Authenticate", challenge(scope));
  }

  /** {@code /v2/} challenge, {@code /oauth2/exchange} and {@code /oauth2/token}. */
  FakeAcr onLoginServer() {
    berth.on("GET", "/v2/", r -> unauthorized(null));
    berth.on(
        "POST",
        "/oauth2/exchange",
        r -> Response.json(200, "{\"refresh_token\":\"" + REFRESH_TOKEN + "\"}"));
    berth.on(
        "POST",
        "/oauth2/token",
        r -> {
          Map<String, String> form = r.form();
          if (!REFRESH_TOKEN.equals(form.get("refresh_token"))) {
            return unauthorized(form.get("scope"));
          }
          return Response.json(200, "{\"access_token\":\"access:" + form.get("scope") + "\"}");
        });
    return this;
  }

  /** A data-plane route that answers {@code ok} only to a token for {@code scope}. */
  FakeAcr onDataPlane(String method, String path, String scope, Response ok) {
    berth.on(
        method,
        path,
        r ->
            ("Bearer access:" + scope).equals(r.header("Authorization"))
                ? ok
                : unauthorized(scope));
    return this;
  }
}
