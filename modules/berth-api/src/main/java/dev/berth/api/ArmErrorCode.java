package dev.berth.api;

/**
 * The catalog of ARM error codes Berth answers with, each bound to its HTTP status. Handlers throw
 * an {@link ArmException} naming one of these and never pick a status themselves.
 *
 * @see <a href="https://github.com/Azure/azure-resource-manager-rpc">ARM RPC, common API
 *     details</a>
 */
public enum ArmErrorCode {
  // 400
  MissingApiVersionParameter(400),
  InvalidApiVersionParameter(400),
  NoRegisteredProviderFound(400),
  InvalidRequestContent(400),
  InvalidRequestFormat(400),
  InvalidResourceName(400),
  /** A resource group name ARM refuses (Azure's code, seen in public error reports). */
  InvalidResourceGroup(400),
  InvalidResourceId(400),
  InvalidParameter(400),
  InvalidRoleAssignmentId(400),
  InvalidPrincipalId(400),
  RoleDefinitionDoesNotExist(400),
  InvalidFilter(400),
  LocationRequired(400),
  InvalidResourceLocation(400),
  InvalidProvisioningState(400),
  UnsupportedGrantType(400),
  BadRequest(400),
  /** ACR: admin-credential operations while the admin user is disabled. */
  UnAuthorizedForCredentialOperations(400),
  /** ACA: a field of a container app's template or configuration is invalid or missing. */
  InvalidParameterValueInContainerTemplate(400),
  /** ACA: a secret has neither a value nor a Key Vault reference. */
  ContainerAppSecretInvalid(400),
  /** ACA: a secret name outside ACA's rule (lower-case alphanumerics, '-', '.'; ≤ 253). */
  ContainerAppInvalidSecretName(400),
  /** ACA: a container app body that does not fit the schema (wrong JSON types). */
  ContainerAppInvalidSchema(400),
  /** ACA: a revision failed to provision (the failed operation of a container app write). */
  ContainerAppOperationError(400),
  /** ARM: a resource's managed identity cannot be set up (a missing user-assigned identity). */
  FailedIdentityOperation(400),
  // 401
  AuthenticationFailed(401),
  InvalidAuthenticationToken(401),
  InvalidAuthenticationTokenAudience(401),
  ExpiredAuthenticationToken(401),
  // 403
  AuthorizationFailed(403),
  /** The caller may write the resource but not use a resource its body links (an identity…). */
  LinkedAuthorizationFailed(403),
  // 404
  ResourceNotFound(404),
  ResourceGroupNotFound(404),
  SubscriptionNotFound(404),
  NotFound(404),
  RoleAssignmentNotFound(404),
  // 405, 409, 412, 413, 415
  MethodNotAllowed(405),
  Conflict(409),
  RoleAssignmentExists(409),
  ResourceGroupBeingDeleted(409),
  /** ACR: the registry name is taken (names are global). */
  AlreadyInUse(409),
  /** ACA: an environment that still holds container apps cannot be deleted. */
  ManagedEnvironmentHasContainerApps(409),
  PreconditionFailed(412),
  RequestEntityTooLarge(413),
  UnsupportedMediaType(415),
  // 5xx: only for faults of Berth itself, or what it depends on being down
  InternalServerError(500),
  /** The resource store cannot be reached now (its database is down): try again. */
  ServiceUnavailable(503);

  private final int status;

  ArmErrorCode(int status) {
    this.status = status;
  }

  /** The HTTP status every response with this code carries. */
  public int status() {
    return status;
  }
}
