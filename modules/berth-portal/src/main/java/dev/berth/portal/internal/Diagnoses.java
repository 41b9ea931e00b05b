package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The app's pull diagnosis as its pages show it: per revision, the findings of the {@code
 * imagePullFailures} detector (docs/pull-diagnosis.md), each with the fix commands and a button per
 * fix the signed-in person's permissions allow. Built per request; not thread-safe.
 */
public final class Diagnoses {

  /** A one-click fix: what {@link DiagnosisFixes} does for {@code kind}, on what. */
  public record FixButton(String label, String kind, String target, String principal) {}

  /** One cause found, as shown. */
  public record FindingView(
      String code,
      String cause,
      String explanation,
      List<String> commands,
      List<FixButton> fixes) {}

  /** One revision's diagnosis. */
  public record RevisionDiagnosis(
      String revision, boolean healthy, List<FindingView> findings, String retry) {}

  static final String REGISTRY_API = "api-version=2023-07-01";

  private final PortalRequest request;
  private final AppView app;
  private final Map<String, Permissions> permissions = new HashMap<>();

  private Diagnoses(PortalRequest request, AppView app) {
    this.request = request;
    this.app = app;
  }

  /**
   * The diagnosis of the app's active and latest revisions, by revision name; empty when the API
   * will not give it (no reconciler, or no right to read it).
   */
  static Map<String, RevisionDiagnosis> of(PortalRequest request, AppView app) {
    return new Diagnoses(request, app).read();
  }

  private Map<String, RevisionDiagnosis> read() {
    JsonNode detector;
    try {
      detector = request.arm().get(app.armId() + "/detectors/imagePullFailures?" + AppView.API);
    } catch (ArmCallException e) {
      return Map.of();
    }
    Map<String, RevisionDiagnosis> out = new LinkedHashMap<>();
    for (JsonNode d : detector.at("/properties/berthDiagnosis/revisions")) {
      List<FindingView> findings = new ArrayList<>();
      for (JsonNode f : d.path("findings")) {
        List<String> commands = new ArrayList<>();
        f.at("/fix/berth").forEach(c -> commands.add(c.asText()));
        findings.add(
            new FindingView(
                f.path("code").asText(),
                f.path("cause").asText(),
                f.path("explanation").asText(),
                commands,
                fixes(f)));
      }
      String revision = d.path("revision").asText();
      out.put(
          revision,
          new RevisionDiagnosis(
              revision,
              d.path("healthy").asBoolean(false),
              findings,
              d.at("/retry/nextTryInSeconds").isNumber()
                  ? "Berth retries by itself (next try in "
                      + d.at("/retry/nextTryInSeconds").asLong()
                      + " s)."
                  : ""));
    }
    return out;
  }

  /** The buttons for a finding: only the fixes whose write the person's roles allow. */
  private List<FixButton> fixes(JsonNode finding) {
    List<String> resources = new ArrayList<>();
    finding.path("resources").forEach(r -> resources.add(r.asText()));
    if (resources.isEmpty()) {
      return List.of();
    }
    String first = resources.get(0);
    return switch (finding.path("code").asText()) {
      case "ARM_AUDIENCE_DISABLED" ->
          may(first, Permissions.REGISTRY_WRITE)
              ? List.of(
                  new FixButton(
                      "Enable authentication-as-ARM on " + last(first), "arm-policy", first, ""))
              : List.of();
      case "PULL_ROLE_MISSING" -> acrPull(first);
      case "SYSTEM_IDENTITY_MISSING" ->
          may(app.armId(), Permissions.APP_WRITE)
              ? List.of(
                  new FixButton(
                      "Turn on the system-assigned identity", "system-identity", app.armId(), ""))
              : List.of();
      case "IDENTITY_NOT_ATTACHED" ->
          may(app.armId(), Permissions.APP_WRITE)
              ? List.of(
                  new FixButton(
                      "Attach " + last(first) + " to " + app.name(), "attach-identity", first, ""))
              : List.of();
      default -> List.of();
    };
  }

  /** Assign AcrPull to the identity the app pulls from {@code registryId} with. */
  private List<FixButton> acrPull(String registryId) {
    if (!may(registryId, Permissions.ROLE_ASSIGNMENT_WRITE)) {
      return List.of();
    }
    JsonNode registry;
    try {
      registry = request.arm().get(registryId + "?" + REGISTRY_API);
    } catch (ArmCallException e) {
      return List.of(); // the registry is not the person's to read: no button, the page still shows
    }
    if (registry
        .at("/properties/roleAssignmentMode")
        .asText("")
        .toLowerCase(Locale.ROOT)
        .startsWith("abac")) {
      return List.of(); // AcrPull is not honoured there; the finding's command says what is
    }
    String server = registry.at("/properties/loginServer").asText();
    Optional<String> identity =
        app.registryEntry(server).map(e -> e.path("identity").asText("")).filter(s -> !s.isEmpty());
    Optional<String> principal = identity.flatMap(app::principalOf);
    if (principal.isEmpty()) {
      return List.of();
    }
    String who =
        identity.get().equalsIgnoreCase("system") ? "the system identity" : last(identity.get());
    return List.of(
        new FixButton(
            "Assign AcrPull to " + who + " on " + last(registryId),
            "acr-pull",
            registryId,
            principal.get()));
  }

  private boolean may(String scope, String action) {
    return permissions
        .computeIfAbsent(scope.toLowerCase(Locale.ROOT), s -> Permissions.at(request.arm(), scope))
        .allows(action);
  }

  static String last(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }
}
