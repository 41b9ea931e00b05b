package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.client.RegistryClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth acr repository}: the registry's data plane ({@code /acr/v1/…} on the login server),
 * with the ACR token from {@link RegistryLogin} and one access token per challenged scope.
 */
@Command(
    name = "repository",
    mixinStandardHelpOptions = true,
    description = "Manage repositories (images) in a registry.",
    subcommands = {
      AcrRepositoryCommand.ListRepositories.class,
      AcrRepositoryCommand.ShowTags.class,
      AcrRepositoryCommand.Delete.class,
      AcrRepositoryCommand.Untag.class
    })
final class AcrRepositoryCommand {

  static final List<Output.Column> NAME_COLUMNS = List.of(Output.Column.of("Result", ""));

  static final List<Output.Column> TAG_COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("Digest", "/digest"),
          Output.Column.of("LastUpdateTime", "/lastUpdateTime"));

  private AcrRepositoryCommand() {}

  /** A repository command: logs in to the registry's data plane first. */
  abstract static class DataPlaneBase extends AcrBase {
    @Mixin ByName registry = new ByName();

    DataPlaneBase(CliEnvironment env) {
      super(env);
    }

    RegistryClient dataPlane() {
      Session session = session();
      return RegistryLogin.login(session, registry.name, registry(session, registry), false)
          .client();
    }

    /** A repository name in a path: its slashes stay, everything else is percent-encoded. */
    static String path(String repository) {
      StringBuilder sb = new StringBuilder();
      for (String segment : repository.split("/", -1)) {
        if (!sb.isEmpty()) {
          sb.append('/');
        }
        sb.append(query(segment));
      }
      return sb.toString();
    }
  }

  /** {@code berth acr repository list}: {@code GET /acr/v1/_catalog}, every page. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List repositories.")
  static final class ListRepositories extends DataPlaneBase {
    ListRepositories(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      ArrayNode names = JSON.createArrayNode();
      for (JsonNode page : dataPlane().getPages("/acr/v1/_catalog")) {
        page.path("repositories").forEach(names::add);
      }
      print(names, NAME_COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr repository show-tags}: {@code GET /acr/v1/{repo}/_tags}. */
  @Command(
      name = "show-tags",
      mixinStandardHelpOptions = true,
      description = "List a repository's tags.")
  static final class ShowTags extends DataPlaneBase {
    @Option(names = "--repository", required = true, description = "Repository name.")
    String repository;

    @Option(names = "--detail", description = "Print each tag's digest and times, not only names.")
    boolean detail;

    ShowTags(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      ArrayNode tags = JSON.createArrayNode();
      for (JsonNode page : dataPlane().getPages("/acr/v1/" + path(repository) + "/_tags")) {
        for (JsonNode tag : page.path("tags")) {
          tags.add(detail ? tag : tag.path("name"));
        }
      }
      print(tags, detail ? TAG_COLUMNS : NAME_COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr repository delete}: {@code DELETE /acr/v1/{repo}}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a repository and all its images.")
  static final class Delete extends DataPlaneBase {
    @Option(names = "--repository", required = true, description = "Repository name.")
    String repository;

    @Mixin Confirmation confirmation = new Confirmation();

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(
          env,
          "This operation will delete the repository '"
              + repository
              + "' and all the images in it. Are you sure you want to continue?")) {
        return 0;
      }
      print(dataPlane().delete("/acr/v1/" + path(repository)), NAME_COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr repository untag}: {@code DELETE /acr/v1/{repo}/_tags/{tag}}. */
  @Command(
      name = "untag",
      mixinStandardHelpOptions = true,
      description = "Remove a tag (the image stays).")
  static final class Untag extends DataPlaneBase {
    @Option(
        names = "--image",
        required = true,
        paramLabel = "REPO:TAG",
        description = "The tag to remove.")
    String image;

    Untag(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      int colon = image.lastIndexOf(':');
      if (colon <= 0 || colon == image.length() - 1 || image.substring(colon).contains("/")) {
        throw new IllegalArgumentException("invalid --image '" + image + "': use repository:tag.");
      }
      String repo = image.substring(0, colon);
      String tag = image.substring(colon + 1);
      dataPlane().delete("/acr/v1/" + path(repo) + "/_tags/" + path(tag));
      return 0;
    }
  }
}
