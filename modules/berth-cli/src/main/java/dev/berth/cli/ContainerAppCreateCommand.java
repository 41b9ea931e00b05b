package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp create}: builds the app document from az's flags, PUTs it and waits for
 * the first revision to run; a failed operation prints the server's code and message (the
 * image-pull diagnosis) and exits 1.
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a container app.")
final class ContainerAppCreateCommand extends ContainerAppBase.Named {

  /** az's {@code --ingress} values. */
  enum Ingress {
    external,
    internal
  }

  /** az's {@code --revisions-mode} values. */
  enum RevisionsMode {
    single,
    multiple
  }

  @Option(
      names = "--environment",
      required = true,
      paramLabel = "ENV",
      description = "Managed environment: a name in the app's group, or a full id.")
  String environment;

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IMAGE",
      description = "Container image.")
  String image;

  @Option(
      names = "--container-name",
      paramLabel = "NAME",
      description = "Name of the container (default: the app's name).")
  String containerName;

  @Option(
      names = "--env-vars",
      arity = "1..*",
      paramLabel = "NAME=VALUE",
      description = "Environment variables; NAME=secretref:SECRET reads a secret.")
  List<String> envVars = List.of();

  @Option(
      names = "--secrets",
      arity = "1..*",
      paramLabel = "NAME=VALUE",
      description = "Secrets; VALUE @FILE reads it from a file, @- from standard input.")
  List<String> secrets = List.of();

  @Option(
      names = "--registry-server",
      paramLabel = "SERVER",
      description = "Registry login server.")
  String registryServer;

  @Option(
      names = "--registry-identity",
      paramLabel = "ID",
      description = "Pull with this identity: system, or a user-assigned identity id.")
  String registryIdentity;

  @Option(names = "--registry-username", paramLabel = "USER", description = "Registry user name.")
  String registryUsername;

  @Option(
      names = "--registry-password",
      paramLabel = "PASSWORD",
      description =
          "Registry password (kept as an app secret), @FILE or @- to read it from a file or"
              + " standard input, or secretref:SECRET.")
  String registryPassword;

  @Option(names = "--system-assigned", description = "Assign the system-assigned identity.")
  boolean systemAssigned;

  @Option(
      names = "--user-assigned",
      arity = "1..*",
      paramLabel = "ID",
      description = "User-assigned identity ids to assign.")
  List<String> userAssigned = List.of();

  @Option(
      names = "--ingress",
      paramLabel = "TYPE",
      description = "Ingress: ${COMPLETION-CANDIDATES}.")
  Ingress ingress;

  @Option(
      names = "--target-port",
      paramLabel = "PORT",
      description = "Port the container listens on.")
  Integer targetPort;

  @Option(
      names = "--revisions-mode",
      paramLabel = "MODE",
      description = "Active revisions mode: ${COMPLETION-CANDIDATES} (default: single).")
  RevisionsMode revisionsMode = RevisionsMode.single;

  @Option(names = "--tags", arity = "0..*", paramLabel = "KEY=VALUE", description = "Tags.")
  List<String> tags = List.of();

  @Option(names = "--no-wait", description = "Do not wait for the operation to finish.")
  boolean noWait;

  @Option(
      names = "--secret-volume-mount",
      paramLabel = "PATH",
      description =
          "Mount all the app's secrets as files (one per secret, named as it) at PATH, read-only.")
  String secretVolumeMount;

  @Mixin TemplateOptions template = new TemplateOptions();

  ContainerAppCreateCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    if ((ingress == null) != (targetPort == null)) {
      throw new CliFailure("--ingress and --target-port go together: give both or neither.");
    }
    boolean registryOptions =
        registryIdentity != null || registryUsername != null || registryPassword != null;
    if (registryOptions && registryServer == null) {
      throw new CliFailure(
          "--registry-identity, --registry-username and --registry-password need --registry-server.");
    }
    Session session = session();
    String environmentId =
        ContainerApps.environmentId(subscriptionPath(session), group, environment);
    // As az does: the app goes where its environment is.
    String location = session.arm().get(ContainerApps.at(environmentId)).path("location").asText();
    ObjectNode app = body(environmentId, location);
    JsonNode result =
        noWait
            ? session.arm().put(ContainerApps.at(appId(session)), app, false)
            : putApp(session, app, "container app '" + name + "'");
    print(ContainerApps.withResourceGroup(result), ContainerApps.APP_COLUMNS);
    String fqdn = result.at("/properties/configuration/ingress/fqdn").asText("");
    if (!noWait && ingress == Ingress.external && !fqdn.isEmpty()) {
      printErr(
          "Container app created. Access your app at "
              + ContainerApps.url(fqdn, ContainerApps.ingressHttpsPort(session.arm()))
              + "/");
    }
    return 0;
  }

  ObjectNode body(String environmentId, String location) {
    ObjectNode app = JSON.createObjectNode();
    app.put("location", location);
    if (!tags.isEmpty()) {
      app.set("tags", Tags.parse(tags));
    }
    ObjectNode properties = app.putObject("properties");
    properties.put("environmentId", environmentId);
    ObjectNode configuration = properties.putObject("configuration");
    configuration.put(
        "activeRevisionsMode", revisionsMode == RevisionsMode.multiple ? "Multiple" : "Single");
    SecretArguments values = new SecretArguments(env.stdin());
    SecretEntries.set(ContainerApps.array(configuration, "secrets"), secrets, values);
    boolean system = systemAssigned;
    List<String> users = new ArrayList<>(userAssigned);
    if (registryServer != null) {
      RegistryCredentials registry =
          new RegistryCredentials(
              registryServer,
              registryIdentity,
              registryUsername,
              values.resolve(registryPassword, "--registry-password"));
      registry.applyTo(configuration);
      // az assigns the identity a registry is pulled with.
      system |= registry.usesSystemIdentity();
      if (registry.usesUserIdentity()) {
        users.add(registryIdentity);
      }
    }
    if (configuration.path("secrets").isEmpty()) {
      configuration.remove("secrets");
    }
    if (ingress != null) {
      ObjectNode in = configuration.putObject("ingress");
      in.put("external", ingress == Ingress.external);
      in.put("targetPort", targetPort);
      in.put("transport", "auto");
      in.putArray("traffic").addObject().put("latestRevision", true).put("weight", 100);
    }
    if (system || !users.isEmpty()) {
      app.set("identity", IdentityBlockEdits.assign(JSON.createObjectNode(), system, users));
    }
    ObjectNode templateNode = properties.putObject("template");
    ObjectNode container = templateNode.putArray("containers").addObject();
    container.put("name", containerName == null ? name : containerName);
    container.put("image", image);
    if (!envVars.isEmpty()) {
      container.set("env", EnvVars.parse(envVars));
    }
    template.applyToContainer(container);
    template.applyToTemplate(templateNode);
    if (secretVolumeMount != null) {
      SecretVolumeMount.apply(templateNode.putArray("volumes"), container, secretVolumeMount);
    }
    return app;
  }
}
