package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.http.HttpExchange;
import dev.berth.http.MalformedRequestException;
import dev.berth.http.UrlEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token endpoint of the code flow, as the portal's tests need it: it redeems codes the test
 * issued ({@link #issue}) only with the PKCE verifier of their challenge, and answers unsigned
 * JWT-shaped tokens (the portal reads claims, the API verifies). Thread-safe.
 */
final class FakeTokenService {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a code was issued for. */
  record Issued(String challenge, String redirectUri, String nonce, String oid, Instant exp) {}

  private final Map<String, Issued> codes = new ConcurrentHashMap<>();
  final AtomicInteger redemptions = new AtomicInteger();
  volatile Map<String, String> refusal;
  volatile String lastAccessToken;

  /** Issues a code, as the authorize endpoint does after a sign-in. */
  String issue(Issued issued) {
    String code = "code-" + Sessions.randomToken();
    codes.put(code, issued);
    return code;
  }

  void handle(HttpExchange exchange) throws Exception {
    redemptions.incrementAndGet();
    Map<String, List<String>> form =
        UrlEncoding.parse(
            new String(exchange.body(65536), StandardCharsets.UTF_8),
            MalformedRequestException.Part.BODY);
    if (refusal != null) {
      exchange.sendJson(400, refusal);
      return;
    }
    Issued issued = codes.remove(first(form, "code"));
    if (issued == null
        || !first(form, "grant_type").equals("authorization_code")
        || !first(form, "client_id").equals("berth-portal")
        || !first(form, "redirect_uri").equals(issued.redirectUri())
        || !Pkce.challengeOf(first(form, "code_verifier")).equals(issued.challenge())) {
      exchange.sendJson(
          400,
          Map.of(
              "error",
              "invalid_grant",
              "error_description",
              "AADSTS70008: The code, its redirect URI or its verifier is wrong."));
      return;
    }
    String access =
        jwt(
            Map.of(
                "oid",
                issued.oid(),
                "name",
                "Ann Admin",
                "preferred_username",
                "ann",
                "idtyp",
                "user",
                "exp",
                issued.exp().getEpochSecond()));
    lastAccessToken = access;
    exchange.sendJson(
        200,
        Map.of(
            "token_type",
            "Bearer",
            "access_token",
            access,
            "expires_in",
            3599,
            "scope",
            "https://x//.default",
            "id_token",
            jwt(Map.of("oid", issued.oid(), "nonce", issued.nonce()))));
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  private static String jwt(Map<String, Object> claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(
            "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(JSON.writeValueAsBytes(claims))
        + "."
        + b64.encodeToString("not-checked-here".getBytes(StandardCharsets.UTF_8));
  }
}
