package dev.berth.identity.internal;

import dev.berth.http.HttpExchange;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The query of an authorization request, checked in RFC 6749's order: first the client and its
 * redirect URI (wrong ones get an error page, never a redirect, §4.1.2.1), then everything else
 * (wrong values go back to the redirect URI as {@code error}). PKCE with S256 is required (RFC
 * 7636). Immutable.
 *
 * @param audience the resource the scope names, as given (such as {@code https://h:8443/})
 * @param scope the scopes granted: {@code <resource>/user_impersonation} and any OIDC scopes
 */
public record AuthorizeRequest(
    String clientId,
    String redirectUri,
    Optional<String> state,
    String codeChallenge,
    String audience,
    String scope,
    Optional<String> nonce) {

  /** The one registered client: the portal, a public client. */
  public static final String PORTAL_CLIENT = "berth-portal";

  /** The portal's callback, below the origin the authorization request came to. */
  public static final String PORTAL_CALLBACK = "/portal/signin/callback";

  private static final Set<String> OIDC_SCOPES =
      Set.of("openid", "profile", "email", "offline_access");

  /** What checking the query found. */
  public sealed interface Checked {
    /** The client or its redirect URI is wrong: show {@code message}, do not redirect. */
    record ErrorPage(String message) implements Checked {}

    /** Anything else is wrong: redirect to the client with these values. */
    record ErrorRedirect(
        String redirectUri, String error, String description, Optional<String> state)
        implements Checked {}

    record Valid(AuthorizeRequest request) implements Checked {}
  }

  /**
   * @param isManagementAudience whether a resource is one of the management endpoint's audiences
   */
  public static Checked check(HttpExchange exchange, Predicate<String> isManagementAudience) {
    Optional<String> clientId = exchange.query("client_id");
    if (clientId.isEmpty() || !clientId.get().equals(PORTAL_CLIENT)) {
      return new Checked.ErrorPage(
          "AADSTS700016: Application with identifier '"
              + clientId.orElse("")
              + "' was not found in the directory. Only the Berth portal ('"
              + PORTAL_CLIENT
              + "') signs people in here.");
    }
    String allowed = exchange.baseUrl() + PORTAL_CALLBACK;
    Optional<String> redirect = exchange.query("redirect_uri");
    if (redirect.isEmpty() || !redirect.get().equals(allowed)) {
      return new Checked.ErrorPage(
          "AADSTS50011: The redirect URI '"
              + redirect.orElse("")
              + "' specified in the request does not match the redirect URI configured for the"
              + " application '"
              + PORTAL_CLIENT
              + "': "
              + allowed);
    }
    Optional<String> state = exchange.query("state");
    String r = redirect.get();
    Optional<String> responseType = exchange.query("response_type");
    if (responseType.isEmpty()) {
      return new Checked.ErrorRedirect(
          r, "invalid_request", "AADSTS900144: The request must contain 'response_type'.", state);
    }
    if (!responseType.get().equals("code")) {
      return new Checked.ErrorRedirect(
          r,
          "unsupported_response_type",
          "AADSTS700054: response_type '" + responseType.get() + "' is not enabled; use 'code'.",
          state);
    }
    Optional<String> challenge = exchange.query("code_challenge");
    if (challenge.isEmpty()) {
      return new Checked.ErrorRedirect(
          r,
          "invalid_request",
          "AADSTS9002325: Proof Key for Code Exchange is required: send code_challenge and"
              + " code_challenge_method=S256.",
          state);
    }
    String method = exchange.query("code_challenge_method").orElse("plain");
    if (!method.equals("S256")) {
      return new Checked.ErrorRedirect(
          r,
          "invalid_request",
          "AADSTS501491: code_challenge_method '" + method + "' is not supported; use S256.",
          state);
    }
    // An S256 challenge is the base64url SHA-256 of the verifier: 43 characters, no padding.
    if (!challenge.get().matches("[A-Za-z0-9_-]{43}")) {
      return new Checked.ErrorRedirect(
          r,
          "invalid_request",
          "AADSTS501491: code_challenge is not a base64url SHA-256 value.",
          state);
    }
    Optional<String> scope = exchange.query("scope");
    Optional<String[]> resource = scope.flatMap(s -> resourceOf(s, isManagementAudience));
    if (resource.isEmpty()) {
      return new Checked.ErrorRedirect(
          r,
          "invalid_scope",
          "AADSTS70011: The provided value for the input parameter 'scope' is not valid. Ask for"
              + " '<management endpoint>/.default' or '<management endpoint>/user_impersonation'.",
          state);
    }
    return new Checked.Valid(
        new AuthorizeRequest(
            clientId.get(),
            r,
            state,
            challenge.get(),
            resource.get()[0],
            resource.get()[1],
            exchange.query("nonce")));
  }

  /**
   * The resource of the one resource scope and the scopes granted, or empty when there is not
   * exactly one or it is not a management audience.
   */
  private static Optional<String[]> resourceOf(String scope, Predicate<String> isManagement) {
    String resource = null;
    StringBuilder granted = new StringBuilder();
    for (String s : scope.trim().split("\\s+")) {
      if (OIDC_SCOPES.contains(s)) {
        granted.append(' ').append(s);
        continue;
      }
      String suffix =
          s.endsWith("/.default")
              ? "/.default"
              : s.endsWith("/user_impersonation") ? "/user_impersonation" : null;
      if (resource != null || suffix == null || s.length() == suffix.length()) {
        return Optional.empty();
      }
      resource = s.substring(0, s.length() - suffix.length());
    }
    if (resource == null || !isManagement.test(resource)) {
      return Optional.empty();
    }
    String impersonation =
        (resource.endsWith("/") ? resource : resource + "/") + "/user_impersonation";
    return Optional.of(new String[] {resource, impersonation + granted});
  }
}
