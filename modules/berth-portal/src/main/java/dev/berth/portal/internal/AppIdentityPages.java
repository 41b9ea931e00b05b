package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmCallException;
import dev.berth.http.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A container app's Identity blade (system-assigned on or off with its principal id; user-assigned
 * identities added and removed) and its Secrets blade (names only; values only through the
 * role-gated {@code listSecrets} reveal). Each change is a merge patch of the app, as the person.
 * Thread-safe (stateless).
 */
public final class AppIdentityPages {

  /** A user-assigned identity as the blade lists it. */
  public record Attached(String id, String name, String principalId, String clientId) {}

  /** A secret's name, and its value once revealed. */
  public record Secret(String name, String value) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MSI_API = "api-version=2023-01-31";
  private static final String LIST_SECRETS = "Microsoft.App/containerApps/listSecrets/action";

  private final Pages pages;

  AppIdentityPages(Pages pages) {
    this.pages = pages;
  }

  List<Route<PageHandler>> routes() {
    String app = ContainerAppPages.APP;
    return List.of(
        Route.of("GET", app + "/identity", this::identity),
        Route.of("POST", app + "/identity/system", this::system),
        Route.of("POST", app + "/identity/user", this::user),
        Route.of("GET", app + "/secrets", r -> secrets(r, false)),
        Route.of("POST", app + "/secrets/reveal", r -> secrets(r, true)));
  }

  private void identity(PortalRequest request) {
    AppView app = AppView.load(request);
    List<Attached> attached = new ArrayList<>();
    JsonNode ua = app.app().path("identity").path("userAssignedIdentities");
    for (String id : app.userAssigned()) {
      attached.add(
          new Attached(
              id,
              Diagnoses.last(id),
              ua.path(id).path("principalId").asText(""),
              ua.path(id).path("clientId").asText("")));
    }
    List<String> available = new ArrayList<>();
    for (JsonNode i : identities(request)) {
      String id = i.path("id").asText();
      if (app.userAssigned().stream().noneMatch(id::equalsIgnoreCase)) {
        available.add(id);
      }
    }
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "identity", "Identity"));
    params.put("app", app);
    params.put("attached", attached);
    params.put("available", available);
    params.put(
        "mayWrite", Permissions.at(request.arm(), app.armId()).allows(Permissions.APP_WRITE));
    pages.send(request.exchange(), 200, "app/identity.jte", params);
  }

  /** The identities of the app's subscription, or of its group when the person sees only that. */
  private static ArrayNode identities(PortalRequest request) {
    String type = "/providers/Microsoft.ManagedIdentity/userAssignedIdentities?" + MSI_API;
    String sub = "/subscriptions/" + request.exchange().pathVar("sub");
    try {
      return request.arm().list(sub + type);
    } catch (ArmCallException e) {
      try {
        return request
            .arm()
            .list(sub + "/resourceGroups/" + request.exchange().pathVar("rg") + type);
      } catch (ArmCallException again) {
        return JSON.createArrayNode();
      }
    }
  }

  private void system(PortalRequest request) {
    AppView app = AppView.load(request);
    boolean on = request.form().get("enabled").orElse("").equals("true");
    patchIdentity(request, app, on, app.userAssigned().size(), null, false);
    ContainerAppPages.redirect(request, app.href("identity"));
  }

  private void user(PortalRequest request) {
    AppView app = AppView.load(request);
    String id = request.form().get("id").orElse("");
    boolean remove = request.form().get("action").orElse("add").equals("remove");
    int count = app.userAssigned().size() + (remove ? -1 : 1);
    patchIdentity(request, app, app.hasSystemIdentity(), count, id, remove);
    ContainerAppPages.redirect(request, app.href("identity"));
  }

  /**
   * PATCH {@code identity}: the type from what will be left, and {@code id} added ({@code {}}) or
   * removed ({@code null}, which a merge patch deletes).
   */
  private static void patchIdentity(
      PortalRequest request, AppView app, boolean system, int users, String id, boolean remove) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode identity = body.putObject("identity");
    String type =
        system && users > 0
            ? "SystemAssigned,UserAssigned"
            : system ? "SystemAssigned" : users > 0 ? "UserAssigned" : "None";
    identity.put("type", type);
    if (id != null && !id.isEmpty()) {
      ObjectNode map = identity.putObject("userAssignedIdentities");
      if (remove) {
        map.putNull(id);
      } else {
        map.putObject(id);
      }
    }
    request.arm().patch(app.armId() + "?" + AppView.API, body);
  }

  private void secrets(PortalRequest request, boolean reveal) {
    AppView app = AppView.load(request);
    Map<String, String> values = new HashMap<>();
    if (reveal) {
      // The API decides who may read values (listSecrets); a Reader's forged post gets its 403.
      JsonNode listed =
          request.arm().post(app.armId() + "/listSecrets?" + AppView.API, JSON.createObjectNode());
      for (JsonNode s : listed.path("value")) {
        values.put(s.path("name").asText(), s.path("value").asText(""));
      }
    }
    List<Secret> secrets = new ArrayList<>();
    for (JsonNode s : app.properties().at("/configuration/secrets")) {
      String name = s.path("name").asText();
      secrets.add(new Secret(name, values.getOrDefault(name, "")));
    }
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", app.chrome(request, "secrets", "Secrets"));
    params.put("app", app);
    params.put("secrets", secrets);
    params.put("revealed", reveal);
    params.put("mayReveal", Permissions.at(request.arm(), app.armId()).allows(LIST_SECRETS));
    pages.send(request.exchange(), 200, "app/secrets.jte", params);
  }
}
