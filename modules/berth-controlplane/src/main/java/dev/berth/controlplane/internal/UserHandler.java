package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.Principal;
import dev.berth.http.Json;
import dev.berth.identity.UserAccounts;
import java.util.Optional;

/**
 * Berth's own {@code /providers/Berth.Identity/users} for {@code berth user}: create (a generated
 * password is answered once), list, get, delete and reset the password. Like service principals,
 * users are access management, so the routes require the role-assignment actions at the tenant
 * root. No answer ever carries a password hash. Thread-safe.
 */
public final class UserHandler {

  static final String TYPE = UserAccounts.TYPE;

  private final UserAccounts users;
  private final String tenantId;

  public UserHandler(UserAccounts users, String tenantId) {
    this.users = users;
    this.tenantId = tenantId;
  }

  public void create(ArmCall call) {
    String userName = call.var("userName");
    if (!UserAccounts.isValidUserName(userName)) {
      throw ArmException.of(
              ArmErrorCode.InvalidResourceName,
              "The user name '"
                  + userName
                  + "' is not valid: 1 to 64 letters, digits, '.', '_', '@' or '-', starting with"
                  + " a letter or digit.")
          .withTarget("userName");
    }
    JsonNode props = call.body().path("properties");
    String displayName = text(props, "displayName", 120).orElse(userName);
    Optional<String> password = text(props, "password", UserAccounts.MAX_PASSWORD_LENGTH);
    if (props.has("password")) {
      String problem =
          password
              .flatMap(UserAccounts::passwordProblem)
              .orElse(password.isEmpty() ? "The password must be a text." : null);
      if (problem != null) {
        throw ArmException.of(ArmErrorCode.InvalidParameter, problem)
            .withTarget("properties.password");
      }
    }
    UserAccounts.UserCredentials created =
        users
            .create(userName, displayName, password)
            .orElseThrow(
                () ->
                    ArmException.of(
                        ArmErrorCode.Conflict,
                        "The user '"
                            + userName
                            + "' already exists. Reset its password with the resetPassword"
                            + " action, or delete it first."));
    ObjectNode out = view(created.user());
    created.password().ifPresent(p -> ((ObjectNode) out.get("properties")).put("password", p));
    call.json(201, out);
  }

  public void list(ArmCall call) {
    Listing.sendAll(call, users.users().stream().map(this::view).toList());
  }

  public void get(ArmCall call) {
    String userName = call.var("userName");
    call.json(200, view(users.findByUserName(userName).orElseThrow(() -> notFound(userName))));
  }

  public void delete(ArmCall call) {
    String userName = call.var("userName");
    Optional<Principal> existing = users.findByUserName(userName);
    if (existing.isEmpty() || !users.delete(userName)) {
      call.empty(204);
      return;
    }
    call.json(200, view(existing.get()));
  }

  public void resetPassword(ArmCall call) {
    String userName = call.var("userName");
    UserAccounts.UserCredentials reset =
        users.resetPassword(userName).orElseThrow(() -> notFound(userName));
    ObjectNode out = view(reset.user());
    ((ObjectNode) out.get("properties")).put("password", reset.password().orElseThrow());
    call.json(200, out);
  }

  /** A text property of at most {@code max} characters; a wrong type or length is refused. */
  private static Optional<String> text(JsonNode props, String name, int max) {
    JsonNode v = props.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual() || v.asText().length() > max || v.asText().isBlank()) {
      throw ArmException.of(
              ArmErrorCode.InvalidParameter,
              "The property '" + name + "' must be a text of 1 to " + max + " characters.")
          .withTarget("properties." + name);
    }
    return Optional.of(v.asText());
  }

  private static ArmException notFound(String userName) {
    return ArmException.of(ArmErrorCode.NotFound, "The user '" + userName + "' was not found.");
  }

  private ObjectNode view(Principal p) {
    ObjectNode out = Json.object();
    out.put("id", "/providers/" + TYPE + "/" + p.appId()).put("name", p.appId()).put("type", TYPE);
    out.putObject("properties")
        .put("userName", p.appId())
        .put("displayName", p.displayName())
        .put("principalId", p.objectId())
        .put("tenantId", p.tenantId() != null ? p.tenantId() : tenantId);
    return out;
  }
}
