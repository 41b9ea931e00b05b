package dev.berth.reconciler.diagnosis;

import dev.berth.api.ResourceId;
import java.util.stream.Collectors;

/** The commands a diagnosis tells the user to run, in Berth's and az's spelling. Stateless. */
public final class Fixes {

  private Fixes() {}

  /** {@code berth …} lines as {@code az …} lines: both CLIs spell these commands alike. */
  public static String az(String berthCommands) {
    return berthCommands
        .lines()
        .map(l -> l.startsWith("berth ") ? "az " + l.substring("berth ".length()) : l)
        .collect(Collectors.joining("\n"));
  }

  /** {@code berth containerapp revision restart -n app -g rg --revision app--v1}. */
  public static String revisionRestart(ResourceId revision) {
    ResourceId app = revision.parent().orElseThrow();
    return "berth containerapp revision restart -n "
        + app.name()
        + " -g "
        + app.resourceGroupName().orElse("<group>")
        + " --revision "
        + revision.name();
  }
}
