package dev.berth.api;

import java.util.Collection;
import java.util.List;

/**
 * The messages of the common ARM errors, worded as Azure words them so that scripts and people who
 * know Azure recognise them. One place, so the wording stays the same everywhere.
 */
public final class ArmErrors {

  private ArmErrors() {}

  public static ArmException missingApiVersion() {
    return ArmException.of(
        ArmErrorCode.MissingApiVersionParameter,
        "The api-version query parameter (?api-version=) is required for all requests.");
  }

  public static ArmException invalidApiVersion(String apiVersion) {
    return ArmException.of(
        ArmErrorCode.InvalidApiVersionParameter,
        "The api-version '"
            + apiVersion
            + "' is invalid. The supported versions are in the form YYYY-MM-DD, optionally"
            + " followed by -preview, -alpha, -beta, -rc or -privatepreview.");
  }

  /** The api-version is well-formed but the resource type does not serve it. */
  public static ArmException noRegisteredProvider(
      String location, String apiVersion, String type, Collection<String> supported) {
    return ArmException.of(
        ArmErrorCode.NoRegisteredProviderFound,
        "No registered resource provider found for location '"
            + location
            + "' and API version '"
            + apiVersion
            + "' for type '"
            + type
            + "'. The supported api-versions are '"
            + String.join(", ", supported)
            + "'. The supported locations are 'local'.");
  }

  public static ArmException resourceNotFound(ResourceId id) {
    String type = id.type();
    String where =
        id.resourceGroupName().map(rg -> " under resource group '" + rg + "'").orElse("");
    return ArmException.of(
        ArmErrorCode.ResourceNotFound,
        "The Resource '"
            + type
            + "/"
            + id.name()
            + "'"
            + where
            + " was not found. For more details please go to"
            + " https://aka.ms/ARMResourceNotFoundFix");
  }

  public static ArmException resourceGroupNotFound(String resourceGroup) {
    return ArmException.of(
        ArmErrorCode.ResourceGroupNotFound,
        "Resource group '" + resourceGroup + "' could not be found.");
  }

  public static ArmException subscriptionNotFound(String subscriptionId) {
    return ArmException.of(
        ArmErrorCode.SubscriptionNotFound,
        "The subscription '" + subscriptionId + "' could not be found.");
  }

  /**
   * A value the client sent, as an error message may quote it: control characters written as {@code
   * \\uXXXX}, at most 200 code points.
   */
  public static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value
        .codePoints()
        .limit(200)
        .forEach(
            c ->
                out.append(
                    Character.isISOControl(c) ? "\\u%04x".formatted(c) : Character.toString(c)));
    return out.toString();
  }

  public static ArmException invalidRequestContent(String why) {
    return ArmException.of(
        ArmErrorCode.InvalidRequestContent,
        "The request content was invalid and could not be deserialized: " + why);
  }

  public static ArmException preconditionFailed(String etag) {
    return ArmException.of(
        ArmErrorCode.PreconditionFailed,
        "The condition specified using HTTP conditional header(s) is not met."
            + (etag == null ? "" : " The current etag is '" + etag + "'."));
  }

  public static ArmException bodyTooLarge(long limit) {
    return ArmException.of(
        ArmErrorCode.RequestEntityTooLarge,
        "The request content length exceeds the limit of " + limit + " bytes.");
  }

  /** ARM's wording for a denied call: who, which action, on which scope. */
  public static ArmException authorizationFailed(
      String principalId, String action, ResourceId scope) {
    return ArmException.of(
        ArmErrorCode.AuthorizationFailed,
        "The client '"
            + principalId
            + "' with object id '"
            + principalId
            + "' does not have authorization to perform action '"
            + action
            + "' over scope '"
            + scope.value()
            + "' or the scope is invalid. If access was recently granted, please refresh your"
            + " credentials.");
  }

  /**
   * ARM's wording for a write the caller may make but whose body links resources it may not use:
   * the write, then each denied linked action and the scope it was checked at, in the same order.
   */
  public static ArmException linkedAuthorizationFailed(
      String principalId,
      String action,
      ResourceId scope,
      List<String> linkedActions,
      List<String> linkedScopes) {
    return ArmException.of(
        ArmErrorCode.LinkedAuthorizationFailed,
        "The client '"
            + principalId
            + "' with object id '"
            + principalId
            + "' has permission to perform action '"
            + action
            + "' on scope '"
            + scope.value()
            + "'; however, it does not have permission to perform action(s) '"
            + String.join(",", linkedActions)
            + "' on the linked scope(s) '"
            + String.join(",", linkedScopes)
            + "' (respectively) or the linked scope(s) are invalid.");
  }
}
