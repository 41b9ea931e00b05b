package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.api.acr.AuthChallenge;
import dev.berth.client.ArmCallException;
import dev.berth.client.BerthUnreachableException;
import dev.berth.client.RegistryCallException;
import dev.berth.client.RegistryClient;
import dev.berth.portal.PortalSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Edit and deploy pickers offer: the subscription's registries (ARM), and a registry's
 * repositories and tags from the registry itself ({@code /acr/v1/_catalog}, {@code
 * /acr/v1/{repo}/_tags}), reached as {@code az acr login} does: the person's ARM token exchanged
 * for a refresh token at the registry's {@code /oauth2/exchange}. What the registry refuses the
 * picker says, and the field becomes free text. Thread-safe.
 */
public final class RegistryPickers {

  /** The picker's items, or why there are none. */
  public record Listing(List<String> items, String error) {}

  private final PortalSettings settings;

  RegistryPickers(PortalSettings settings) {
    this.settings = settings;
  }

  /**
   * The registries the person may see: the subscription's, or (when the person's roles stop at a
   * resource group) the app's group's.
   */
  List<DeployForm.RegistryOption> registries(PortalRequest request, String sub, String group) {
    String type = "/providers/Microsoft.ContainerRegistry/registries?" + Diagnoses.REGISTRY_API;
    ArrayNode found;
    try {
      found = request.arm().list("/subscriptions/" + sub + type);
    } catch (ArmCallException e) {
      try {
        found = request.arm().list("/subscriptions/" + sub + "/resourceGroups/" + group + type);
      } catch (ArmCallException again) {
        return List.of();
      }
    }
    List<DeployForm.RegistryOption> out = new ArrayList<>();
    for (JsonNode r : found) {
      out.add(
          new DeployForm.RegistryOption(
              r.path("id").asText(),
              r.path("name").asText(),
              r.at("/properties/loginServer").asText()));
    }
    return out;
  }

  Listing repositories(PortalRequest request, String loginServer) {
    return list(request, loginServer, "/acr/v1/_catalog", "repositories", false);
  }

  Listing tags(PortalRequest request, String loginServer, String repository) {
    return list(request, loginServer, "/acr/v1/" + repository + "/_tags", "tags", true);
  }

  private Listing list(
      PortalRequest request, String loginServer, String path, String field, boolean named) {
    if (loginServer.isEmpty()) {
      return new Listing(List.of(), "");
    }
    try {
      RegistryClient client = RegistryClient.create(settings.http(), loginServer, l -> {});
      AuthChallenge challenge = client.challenge();
      // The person's ARM token, exchanged at Berth's own registry as az acr login does.
      String refresh =
          client.exchange(challenge, settings.tenantId(), request.session().accessToken());
      List<String> items = new ArrayList<>();
      for (JsonNode page : client.withRefreshToken(refresh).getPages(path)) {
        for (JsonNode item : page.path(field)) {
          items.add(named ? item.path("name").asText() : item.asText());
        }
      }
      return new Listing(items, "");
    } catch (RegistryCallException e) {
      return new Listing(List.of(), "The registry answered " + e.code() + ": " + e.getMessage());
    } catch (BerthUnreachableException | ArmCallException | java.io.UncheckedIOException e) {
      return new Listing(List.of(), "The registry cannot be reached: " + e.getMessage());
    }
  }
}
