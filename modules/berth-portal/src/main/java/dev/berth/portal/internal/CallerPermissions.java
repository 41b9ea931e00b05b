package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import dev.berth.client.ArmClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the signed-in person may do at one scope, as far as the page needs it to decide which write
 * controls to show: the actions of the roles assigned to the person at or above the scope, read
 * through the API with the person's own token. A hint for the page only; the API decides every call
 * again, so a control shown wrongly ends in the API's 403. Immutable.
 */
final class CallerPermissions {

  static final String API = "?api-version=2022-04-01";

  private record Grant(List<Pattern> actions, List<Pattern> notActions) {}

  private final List<Grant> grants;

  private CallerPermissions(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  /** Nothing allowed: what a person whose assignments cannot be read is shown. */
  static CallerPermissions none() {
    return new CallerPermissions(List.of());
  }

  /** The person's permissions at {@code scope} (an ARM id), read with the person's token. */
  static CallerPermissions at(ArmClient arm, String scope, String principalId) {
    if (principalId == null || !principalId.matches("[0-9a-fA-F-]{1,64}")) {
      return none();
    }
    try {
      String filter = "atScope()%20and%20principalId%20eq%20'" + principalId + "'";
      Set<String> roles = new LinkedHashSet<>();
      for (JsonNode a :
          arm.list(
              scope
                  + "/providers/Microsoft.Authorization/roleAssignments"
                  + API
                  + "&$filter="
                  + filter)) {
        roles.add(a.path("properties").path("roleDefinitionId").asText());
      }
      List<JsonNode> definitions = new ArrayList<>();
      for (String role : roles) {
        if (!role.isEmpty()) {
          definitions.add(arm.get(role + API));
        }
      }
      return of(definitions);
    } catch (ArmCallException e) {
      // A person who may not read the assignments sees no write controls; the API decides anyway.
      return none();
    }
  }

  /** The permissions the role definitions (as the API returns them) grant together. */
  static CallerPermissions of(List<JsonNode> roleDefinitions) {
    List<Grant> grants = new ArrayList<>();
    for (JsonNode d : roleDefinitions) {
      for (JsonNode p : d.path("properties").path("permissions")) {
        grants.add(new Grant(patterns(p.path("actions")), patterns(p.path("notActions"))));
      }
    }
    return new CallerPermissions(grants);
  }

  /** Whether some role grants {@code action} and does not take it away again. */
  boolean may(String action) {
    for (Grant g : grants) {
      if (g.actions().stream().anyMatch(p -> p.matcher(action).matches())
          && g.notActions().stream().noneMatch(p -> p.matcher(action).matches())) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> patterns(JsonNode actions) {
    List<Pattern> out = new ArrayList<>();
    for (JsonNode a : actions) {
      out.add(glob(a.asText()));
    }
    return out;
  }

  /** An ARM action pattern ({@code *} anywhere), case-insensitive as ARM compares actions. */
  static Pattern glob(String action) {
    String[] parts = action.toLowerCase(Locale.ROOT).split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }
}
