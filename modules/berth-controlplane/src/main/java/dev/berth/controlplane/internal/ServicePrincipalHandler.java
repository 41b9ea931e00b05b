package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.http.Json;
import dev.berth.identity.Directory;
import java.util.Optional;

/**
 * Berth's own {@code /providers/Berth.Identity/servicePrincipals} for {@code berth sp create}:
 * create (the secret is answered once), list, get, delete and reset the secret. Creating principals
 * is access management, so the routes require the role-assignment actions at the tenant root.
 * Thread-safe.
 */
public final class ServicePrincipalHandler {

  static final String TYPE = "Berth.Identity/servicePrincipals";

  private final Directory directory;

  public ServicePrincipalHandler(Directory directory) {
    this.directory = directory;
  }

  public void create(ArmCall call) {
    JsonNode name = call.body().get("displayName");
    if (name == null
        || !name.isTextual()
        || name.asText().isBlank()
        || name.asText().length() > 120) {
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "The property 'displayName' is required: a text of 1 to 120 characters.")
          .withTarget("displayName");
    }
    Directory.ServicePrincipalCredentials created =
        directory.createServicePrincipal(name.asText().strip());
    ObjectNode out = view(created.principal());
    ((ObjectNode) out.get("properties")).put("clientSecret", created.clientSecret());
    call.json(201, out);
  }

  public void list(ArmCall call) {
    Listing.sendAll(call, directory.servicePrincipals().stream().map(this::view).toList());
  }

  public void get(ArmCall call) {
    call.json(200, view(find(call.var("appId"))));
  }

  public void delete(ArmCall call) {
    String appId = call.var("appId");
    Optional<Principal> existing = directory.findByAppId(appId);
    if (existing.isEmpty() || !directory.deleteServicePrincipal(appId)) {
      call.empty(204);
      return;
    }
    call.json(200, view(existing.get()));
  }

  public void resetSecret(ArmCall call) {
    String appId = call.var("appId");
    Directory.ServicePrincipalCredentials reset =
        directory.resetSecret(appId).orElseThrow(() -> notFound(appId));
    ObjectNode out = view(reset.principal());
    ((ObjectNode) out.get("properties")).put("clientSecret", reset.clientSecret());
    call.json(200, out);
  }

  private Principal find(String appId) {
    return directory.findByAppId(appId).orElseThrow(() -> notFound(appId));
  }

  private static ArmException notFound(String appId) {
    return ArmException.of(
        ArmErrorCode.NotFound, "The service principal '" + appId + "' was not found.");
  }

  private ObjectNode view(Principal p) {
    ObjectNode out = Json.object();
    out.put("id", "/providers/" + TYPE + "/" + p.appId()).put("name", p.appId()).put("type", TYPE);
    out.putObject("properties")
        .put("displayName", p.displayName())
        .put("appId", p.appId())
        .put("principalId", p.objectId())
        .put("tenantId", p.tenantId() != null ? p.tenantId() : directory.tenantId());
    return out;
  }
}
