package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.identity.TokenRejectedException;
import dev.berth.identity.TokenVerifier;
import dev.berth.identity.VerifiedToken;
import java.util.Set;

/**
 * Authenticates the caller from {@code Authorization: Bearer <jwt>}, answering each failure with
 * ARM's 401 code and a {@code WWW-Authenticate} challenge naming the authority. Skipped for
 * anonymous routes. Thread-safe.
 */
public final class Authentication implements Step {

  private final TokenVerifier verifier;
  private final Set<String> audiences;
  private final String authorizationUri;

  public Authentication(
      TokenVerifier verifier, Set<String> audiences, String authority, String tenantId) {
    this.verifier = verifier;
    this.audiences = Set.copyOf(audiences);
    String base = authority.endsWith("/") ? authority : authority + "/";
    this.authorizationUri = base + tenantId;
  }

  @Override
  public void apply(ArmCall call) {
    if (call.route().anonymous()) {
      return;
    }
    String header = call.header("Authorization").map(String::strip).orElse("");
    if (header.isEmpty()) {
      throw challenge(
          ArmErrorCode.AuthenticationFailed,
          "Authentication failed. The 'Authorization' header is missing.",
          "The authentication failed because of missing 'Authorization' header.");
    }
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw challenge(
          ArmErrorCode.AuthenticationFailed,
          "Authentication failed. The 'Authorization' header is provided in an invalid format.",
          "The authentication scheme is not supported; use Bearer.");
    }
    try {
      VerifiedToken token = verifier.verify(header.substring(7).strip(), audiences);
      call.principal(token.principal());
    } catch (TokenRejectedException e) {
      throw rejected(e);
    }
  }

  private ArmException rejected(TokenRejectedException e) {
    return switch (e.reason()) {
      case EXPIRED ->
          challenge(
              ArmErrorCode.ExpiredAuthenticationToken,
              "The access token has expired. " + e.getMessage(),
              "The access token expiry UTC time is earlier than current UTC time.");
      case WRONG_AUDIENCE ->
          challenge(
              ArmErrorCode.InvalidAuthenticationTokenAudience,
              "The access token has been obtained for wrong audience or resource. It should"
                  + " exactly match with one of the allowed audiences '"
                  + String.join("', '", audiences.stream().sorted().toList())
                  + "'.",
              "The access token has been obtained for wrong audience or resource.");
      case BAD_SIGNATURE ->
          challenge(
              ArmErrorCode.InvalidAuthenticationToken,
              "The access token has invalid signature.",
              "The access token has invalid signature.");
      case UNKNOWN_PRINCIPAL ->
          challenge(
              ArmErrorCode.InvalidAuthenticationToken,
              "The access token is invalid: the principal it names does not exist.",
              "The access token is invalid.");
      default ->
          challenge(
              ArmErrorCode.InvalidAuthenticationToken,
              "The access token is invalid.",
              "The access token is invalid.");
    };
  }

  private ArmException challenge(ArmErrorCode code, String message, String description) {
    return ArmException.of(code, message)
        .withHeader(
            "WWW-Authenticate",
            "Bearer authorization_uri=\""
                + authorizationUri
                + "\", error=\"invalid_token\", error_description=\""
                + description.replace("\"", "'")
                + "\"");
  }
}
