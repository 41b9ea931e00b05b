package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.client.ArmCallException;
import dev.berth.client.ArmClient;
import java.util.Locale;

/**
 * The seed's check before a save: can the chosen identity pull the chosen repository? Asked of the
 * registry's own decision code ({@code POST …/registries/{r}/checkAccess}, docs/pull-diagnosis.md),
 * with an ARM-audience token as Container Apps presents. When it cannot, says what is missing and
 * whether the signed-in person may grant it. Stateless.
 */
public final class PullAccessCheck {

  /** The outcome shown on the form. */
  public record Outcome(
      boolean allowed,
      boolean checked,
      String decidedBy,
      String reason,
      String principalId,
      String registryId,
      String registryName,
      boolean roleMissing,
      boolean mayAssign,
      String identityLabel) {

    /** What the registry said, in one sentence. */
    public String sentence() {
      return reason;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private PullAccessCheck() {}

  static Outcome run(
      ArmClient arm,
      String registryId,
      String repository,
      String principalId,
      String identityLabel) {
    String registryName = Diagnoses.last(registryId);
    ObjectNode body = JSON.createObjectNode();
    body.put("identity", principalId)
        .put("repository", repository)
        .put("action", "pull")
        .put("audience", "arm");
    JsonNode answer;
    try {
      answer = arm.post(registryId + "/checkAccess?" + Diagnoses.REGISTRY_API, body);
    } catch (ArmCallException e) {
      // The person may not ask (checkAccess is Owner's and Contributor's): say so, do not guess.
      return new Outcome(
          false,
          false,
          "",
          "The portal could not check whether "
              + identityLabel
              + " can pull: "
              + e.code()
              + ": "
              + e.getMessage(),
          principalId,
          registryId,
          registryName,
          false,
          false,
          identityLabel);
    }
    boolean allowed = answer.path("allowed").asBoolean(false);
    String decidedBy = answer.path("decidedBy").asText("");
    boolean roleMissing =
        !allowed && decidedBy.toUpperCase(Locale.ROOT).equals("NO_ROLE_ASSIGNMENT");
    boolean mayAssign =
        roleMissing && Permissions.at(arm, registryId).allows(Permissions.ROLE_ASSIGNMENT_WRITE);
    String reason =
        allowed
            ? identityLabel + " can pull " + repository + " from " + registryName + "."
            : identityLabel
                + " cannot pull "
                + repository
                + " from "
                + registryName
                + ": denied by "
                + decidedBy
                + (answer.path("rule").asText("").isEmpty()
                    ? ""
                    : " (" + answer.path("rule").asText() + ")")
                + (answer.path("code").asText("").isEmpty()
                    ? ""
                    : "; the registry would answer "
                        + answer.path("status").asText()
                        + " "
                        + answer.path("code").asText())
                + ".";
    return new Outcome(
        allowed,
        true,
        decidedBy,
        reason,
        principalId,
        registryId,
        registryName,
        roleMissing,
        mayAssign,
        identityLabel);
  }
}
