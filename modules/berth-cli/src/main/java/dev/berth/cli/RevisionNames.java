package dev.berth.cli;

/**
 * Revision names are {@code <app>--<suffix>} and app names cannot contain {@code --}, so the app is
 * everything before the last {@code --}, as az's {@code _get_app_from_revision} takes it.
 * Stateless, thread-safe.
 */
final class RevisionNames {

  private RevisionNames() {}

  /** The app a revision belongs to. */
  static String appOf(String revision) {
    int at = revision.lastIndexOf("--");
    if (at <= 0 || at + 2 >= revision.length()) {
      throw new CliFailure(
          "Cannot tell the container app from revision '"
              + revision
              + "': revision names look like <app>--<suffix>. Give the app with --name.");
    }
    return revision.substring(0, at);
  }
}
