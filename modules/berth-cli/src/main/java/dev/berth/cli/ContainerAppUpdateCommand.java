package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp update}: changes the revision template with one JSON merge PATCH of
 * {@code properties.template}, sending the containers array whole (merge patch replaces arrays) and
 * only the scale settings and suffix given (a scale rule replaces the rules, as az's does); waits
 * for the new revision like {@code create}.
 */
@Command(name = "update", mixinStandardHelpOptions = true, description = "Update a container app.")
final class ContainerAppUpdateCommand extends ContainerAppBase.Named {

  @Option(names = "--image", paramLabel = "IMAGE", description = "New container image.")
  String image;

  @Option(
      names = "--container-name",
      paramLabel = "NAME",
      description = "Container to change (default: the first).")
  String containerName;

  @Option(
      names = {"--set-env-vars", "--env-vars"},
      arity = "1..*",
      paramLabel = "NAME=VALUE",
      description = "Add or change environment variables (NAME=secretref:SECRET reads a secret).")
  List<String> envVars = List.of();

  @Option(
      names = "--replace-env-vars",
      arity = "1..*",
      paramLabel = "NAME=VALUE",
      description = "Replace all environment variables with these.")
  List<String> replaceEnvVars;

  @Option(
      names = "--remove-env-vars",
      arity = "1..*",
      paramLabel = "NAME",
      description = "Remove these environment variables.")
  List<String> removeEnvVars = List.of();

  @Option(
      names = "--secret-volume-mount",
      paramLabel = "PATH",
      description =
          "Mount all the app's secrets as files at PATH (a new Secret volume, or the container's"
              + " one secret volume mount moved there).")
  String secretVolumeMount;

  @Option(names = "--no-wait", description = "Do not wait for the operation to finish.")
  boolean noWait;

  @Mixin TemplateOptions template = new TemplateOptions();

  ContainerAppUpdateCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    boolean changesContainer =
        image != null
            || !envVars.isEmpty()
            || replaceEnvVars != null
            || !removeEnvVars.isEmpty()
            || secretVolumeMount != null
            || template.changesContainer();
    if (!changesContainer && !template.changesScale() && template.revisionSuffix == null) {
      throw new CliFailure(
          "Nothing to update: give --image, --env-vars, --cpu, --memory, --command, --args,"
              + " --secret-volume-mount, --min-replicas, --max-replicas, --scale-rule-name or"
              + " --revision-suffix.");
    }
    Session session = session();
    ObjectNode patchTemplate = JSON.createObjectNode();
    if (changesContainer) {
      JsonNode stored = app(session).at("/properties/template");
      JsonNode current = stored.path("containers");
      ArrayNode containers =
          current.isArray() ? ((ArrayNode) current).deepCopy() : JSON.createArrayNode();
      ObjectNode container = container(containers);
      if (image != null) {
        container.put("image", image);
      }
      if (replaceEnvVars != null) {
        container.set("env", EnvVars.parse(replaceEnvVars));
      }
      ArrayNode env = ContainerApps.array(container, "env");
      EnvVars.merge(env, envVars);
      EnvVars.remove(env, removeEnvVars);
      template.applyToContainer(container);
      if (secretVolumeMount != null) {
        // A merge patch replaces arrays whole: the volumes go as stored, plus any new one.
        ArrayNode volumes =
            stored.path("volumes").isArray()
                ? ((ArrayNode) stored.path("volumes")).deepCopy()
                : JSON.createArrayNode();
        SecretVolumeMount.apply(volumes, container, secretVolumeMount);
        patchTemplate.set("volumes", volumes);
      }
      patchTemplate.set("containers", containers);
    }
    template.applyToTemplate(patchTemplate);
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("properties").set("template", patchTemplate);
    JsonNode result =
        waiting(session, "update of container app '" + name + "'")
            .patch(ContainerApps.at(appId(session)), patch, !noWait);
    print(ContainerApps.withResourceGroup(result), ContainerApps.APP_COLUMNS);
    return 0;
  }

  /** The container to change: {@code --container-name}, else the first. */
  private ObjectNode container(ArrayNode containers) {
    if (containers.isEmpty()) {
      throw new CliFailure("Container app '" + name + "' has no containers to update.");
    }
    if (containerName == null) {
      return (ObjectNode) containers.get(0);
    }
    for (JsonNode c : containers) {
      if (c.path("name").asText().equals(containerName)) {
        return (ObjectNode) c;
      }
    }
    throw new CliFailure(
        "Container app '" + name + "' has no container named '" + containerName + "'.");
  }
}
