package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import dev.berth.api.app.ContainerApp;
import dev.berth.api.app.Revision;
import dev.berth.api.app.TrafficTable;
import dev.berth.http.Json;
import dev.berth.store.ResourceStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The traffic rules of a container app ({@code configuration.ingress.traffic[]}), beyond their
 * weights ({@link AppLimits#traffic}): a rule names either the latest revision or a revision, a
 * label sits on a rule that names one, labels are unique and can be host names, and every named
 * revision exists and is active when it is given weight. Also answers where traffic goes now
 * ({@link TrafficTable}) for the revision documents and the deactivate action. Stateless.
 *
 * @see <a href="https://learn.microsoft.com/azure/container-apps/traffic-splitting">Traffic
 *     splitting in Azure Container Apps</a>
 */
final class AppTraffic {

  static final String FIELD = "configuration.ingress.traffic";
  static final String TARGET = "properties." + FIELD;

  /**
   * A label becomes the host {@code <app>---<label>.<domain>}: a DNS label (RFC 1123) of lower-case
   * letters, digits and single hyphens. Berth's rule; ACA publishes none.
   */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** A weight written as text: a whole number that fits an int (its range is checked later). */
  private static final Pattern WHOLE = Pattern.compile("-?\\d{1,9}");

  private AppTraffic() {}

  /** Checks each rule's shape and the labels, before any revision is looked up. */
  static void checkRules(ObjectNode ingress) {
    JsonNode traffic = ingress.path("traffic");
    Set<String> labels = new HashSet<>();
    for (int i = 0; i < traffic.size(); i++) {
      ObjectNode rule = Fields.element(traffic.get(i), TARGET + "[" + i + "]");
      String at = TARGET + "[" + i + "]";
      tidy(rule, at);
      String name = Fields.text(rule, "revisionName", at + ".revisionName");
      String label = Fields.text(rule, "label", at + ".label");
      JsonNode latest = rule.path("latestRevision");
      if (!latest.isMissingNode() && !latest.isNull() && !latest.isBoolean()) {
        throw Fields.schema(at + ".latestRevision");
      }
      if (latest.asBoolean(false) && !name.isEmpty()) {
        throw invalid(
            at,
            "a traffic rule names either latestRevision true or a revisionName, not both ('"
                + name
                + "')");
      }
      if (label.isEmpty()) {
        continue;
      }
      if (!latest.asBoolean(false) && name.isEmpty()) {
        throw invalid(
            at + ".label",
            "the label '" + label + "' is on no revision; give the rule a revisionName");
      }
      if (!LABEL.matcher(label).matches()) {
        throw invalid(
            at + ".label",
            "the label '"
                + label
                + "' must be 1-63 lower case letters, digits and '-', starting and ending with a"
                + " letter or digit");
      }
      if (!labels.add(label.toLowerCase(Locale.ROOT))) {
        throw invalid(at + ".label", "the label '" + label + "' is on more than one rule");
      }
    }
  }

  /**
   * Writes a rule in the shape ACA answers, which clients read back and send again: no null members
   * (az 2.53's {@code revision label add} calls {@code label.lower()} on every rule that has the
   * key, and its {@code label remove} sends {@code "label": null}), no {@code latestRevision:
   * false} beside a {@code revisionName} (az matches a rule by its name only when that key is
   * absent, and would otherwise add a second rule for the revision), and a weight sent as a string
   * of digits stored as the number it means (az's {@code ingress traffic set} sends {@code
   * "weight": "20"} for each rule it changes; ACA reads it as 20).
   */
  private static void tidy(ObjectNode rule, String at) {
    List<String> nulls = new ArrayList<>();
    rule.properties()
        .forEach(
            e -> {
              if (e.getValue().isNull()) {
                nulls.add(e.getKey());
              }
            });
    rule.remove(nulls);
    if (rule.path("latestRevision").isBoolean()
        && !rule.path("latestRevision").booleanValue()
        && !rule.path("revisionName").asText("").isEmpty()) {
      rule.remove("latestRevision");
    }
    JsonNode weight = rule.path("weight");
    if (weight.isTextual()) {
      String digits = weight.asText().strip();
      if (!WHOLE.matcher(digits).matches()) {
        throw Fields.schema(at + ".weight");
      }
      rule.put("weight", Integer.parseInt(digits));
    }
  }

  /**
   * Checks that each named revision is one of {@code app}'s, and (in Multiple mode) active when the
   * rule gives it weight; runs in the write's transaction after the write's own revision was made,
   * so a rule may name the revision the same write creates.
   */
  static void checkRevisions(ResourceStore tx, ResourceId app, ObjectNode desired) {
    JsonNode traffic = desired.at("/properties/configuration/ingress/traffic");
    boolean multiple =
        ContainerApp.of(app, desired).activeRevisionsMode() == ContainerApp.RevisionMode.Multiple;
    for (int i = 0; i < traffic.size(); i++) {
      JsonNode rule = traffic.get(i);
      String label = rule.path("label").asText("");
      String host = app.name() + "---" + label;
      if (!label.isEmpty() && host.length() > AppLimits.MAX_HOST_LABEL) {
        throw invalid(
            TARGET + "[" + i + "].label",
            "the label's host name '"
                + host
                + "' would start with a label of "
                + host.length()
                + " characters, at most 63: give a label of at most "
                + (AppLimits.MAX_HOST_LABEL - app.name().length() - 3)
                + " characters");
      }
      String name = rule.path("revisionName").asText("");
      if (name.isEmpty()) {
        continue;
      }
      String at = TARGET + "[" + i + "].revisionName";
      Optional<Revision> revision =
          tx.get(app.child("revisions", name)).map(r -> Revision.of(r.id(), r.body()));
      if (revision.isEmpty()) {
        throw invalid(
            at,
            "the revision '"
                + name
                + "' does not exist in container app '"
                + app.name()
                + "'; list them with 'az containerapp revision list --all'");
      }
      // Single mode ignores the rules (the latest ready revision serves), and the reconciler
      // deactivates the previous revision there itself: a round-tripped rule must not fail.
      if (multiple && !revision.get().active() && rule.path("weight").asInt(0) > 0) {
        throw invalid(
            at,
            "the revision '"
                + name
                + "' is inactive and cannot take traffic; activate it first, or give it weight"
                + " 0");
      }
    }
  }

  /** Where {@code app}'s traffic goes now, from its stored document and revisions. */
  static TrafficTable table(ResourceStore store, ResourceId app) {
    List<Revision> revisions = Revisions.list(store, app);
    return store
        .get(app)
        .map(a -> TrafficTable.of(ContainerApp.of(app, a.body()), revisions))
        .orElseGet(() -> TrafficTable.of(ContainerApp.of(app, Json.object()), revisions));
  }

  /** Refuses to deactivate {@code revision} while it still gets traffic. */
  static void checkDeactivate(ResourceStore store, ResourceId revision) {
    ResourceId app = revision.parent().orElseThrow();
    int weight = table(store, app).weightOf(revision.name());
    if (weight > 0) {
      throw ArmException.of(
              ArmErrorCode.BadRequest,
              "The revision '"
                  + revision.name()
                  + "' cannot be deactivated: it receives "
                  + weight
                  + "% of container app '"
                  + app.name()
                  + "''s traffic. Move its traffic to other revisions first ('az containerapp"
                  + " ingress traffic set' or a PATCH of "
                  + TARGET
                  + "), then deactivate it.")
          .withTarget(TARGET);
    }
  }

  /** A refusal whose message names the same field as its target, without "properties.". */
  static ArmException invalid(String target, String details) {
    return Fields.invalid(target.substring("properties.".length()), details).withTarget(target);
  }
}
