package dev.berth.portal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.ArmCallException;
import dev.berth.client.ArmClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * What the signed-in person may do at one scope, as the API says it ({@code GET
 * {scope}/providers/Microsoft.Authorization/permissions}, Azure's "what may I do here"). Used only
 * to decide which buttons to show: the API still decides every write. Immutable.
 */
public final class Permissions {

  /** The write that assigns roles: Owner and User Access Administrator hold it. */
  public static final String ROLE_ASSIGNMENT_WRITE =
      "Microsoft.Authorization/roleAssignments/write";

  public static final String REGISTRY_WRITE = "Microsoft.ContainerRegistry/registries/write";
  public static final String APP_WRITE = "Microsoft.App/containerApps/write";

  private record Block(List<Pattern> actions, List<Pattern> notActions) {}

  private static final Permissions NONE = new Permissions(List.of());

  private final List<Block> blocks;

  private Permissions(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /** The person's permissions at {@code scope}; none when the API will not say. */
  static Permissions at(ArmClient arm, String scope) {
    List<Block> blocks = new ArrayList<>();
    try {
      for (JsonNode p :
          arm.list(
              scope + "/providers/Microsoft.Authorization/permissions?api-version=2022-04-01")) {
        blocks.add(new Block(patterns(p.path("actions")), patterns(p.path("notActions"))));
      }
    } catch (ArmCallException e) {
      return NONE; // no answer: show no button; the API would have decided the write anyway
    }
    return new Permissions(blocks);
  }

  /** Whether some role's actions match {@code action} and its own notActions do not. */
  public boolean allows(String action) {
    String a = action.toLowerCase(Locale.ROOT);
    return blocks.stream()
        .anyMatch(
            b ->
                b.actions().stream().anyMatch(p -> p.matcher(a).matches())
                    && b.notActions().stream().noneMatch(p -> p.matcher(a).matches()));
  }

  private static List<Pattern> patterns(JsonNode list) {
    List<Pattern> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(glob(n.asText()));
    }
    return out;
  }

  /**
   * An action pattern as a regular expression: {@code *} stands for any run of characters, case
   * ignored, as ARM reads {@code *}, {@code *}{@code /read} and {@code Microsoft.App/*}. The
   * patterns come from Berth's own role catalogue, through its API.
   */
  static Pattern glob(String pattern) {
    StringJoiner re = new StringJoiner(".*");
    for (String part : pattern.toLowerCase(Locale.ROOT).split("\\*", -1)) {
      re.add(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }
}
