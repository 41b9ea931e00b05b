package dev.berth.reconciler.diagnosis.internal;

import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.reconciler.diagnosis.RegistryCatalog;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import java.util.List;
import java.util.Optional;

/**
 * The repository, or the tag, does not exist in the registry: it lists the tags that do, newest
 * first, and the fix deploys the newest (pushing the missing one heals the revision too, by
 * itself). A digest is judged only by the registry's own {@code MANIFEST_UNKNOWN}, since tags
 * cannot tell. Thread-safe.
 */
public final class ImageCheck implements Check {

  /** How many tags a message lists before it says how many more there are. */
  private static final int SHOWN_TAGS = 10;

  private final RegistryCatalog catalog;

  public ImageCheck(RegistryCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public List<Finding> run(PullContext c) {
    ImageReference image = c.pull().image();
    Optional<List<String>> tags = catalog.tags(c.registry().id(), c.repository());
    if (tags.isEmpty()) {
      return List.of(
          new Finding(
              CauseCode.REPOSITORY_NOT_FOUND,
              "Repository " + c.repository() + " does not exist in " + c.registry().name(),
              "Push " + image + " first, or correct the image name.",
              List.of(c.registry().id().value()),
              Commands.repositoryList(c.registry())));
    }
    boolean missing =
        image.digest() != null
            ? c.pull().error().reason() == PullException.Reason.MANIFEST_UNKNOWN
            : !tags.get().contains(image.tag());
    if (!missing) {
      return List.of();
    }
    String what = image.digest() != null ? "Manifest " + image.digest() : "Tag " + image.tag();
    List<String> existing = tags.get();
    String fix =
        existing.isEmpty()
            ? Commands.showTags(c.registry(), c.repository())
            : Commands.updateImage(
                c.app(),
                c.pull().container(),
                new ImageReference(image.registry(), image.repository(), existing.get(0), null)
                    .toString());
    return List.of(
        new Finding(
            image.digest() != null ? CauseCode.MANIFEST_NOT_FOUND : CauseCode.TAG_NOT_FOUND,
            what + " does not exist in " + c.repository(),
            describe(image, c.registry().name(), existing),
            List.of(c.registry().id().value()),
            fix));
  }

  private static String describe(ImageReference image, String registry, List<String> tags) {
    String wanted =
        image.repository() + (image.digest() != null ? "@" + image.digest() : ":" + image.tag());
    String push = "Push " + wanted + " to " + registry + " and the revision starts by itself";
    if (tags.isEmpty()) {
      return image.repository() + " has no tags. " + push + ".";
    }
    String shown = String.join(", ", tags.subList(0, Math.min(SHOWN_TAGS, tags.size())));
    int more = tags.size() - SHOWN_TAGS;
    return push
        + ", or deploy a tag that exists. The tags of "
        + image.repository()
        + ", newest first: "
        + shown
        + (more > 0 ? " (and " + more + " more)." : ".");
  }
}
