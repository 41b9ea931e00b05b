package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth containerapp ingress}: the app's {@code configuration.ingress}, changed as az does
 * (GET, {@code listSecrets}, PUT of the whole app); an application-scope change, so no new
 * revision. Traffic rules are {@link ContainerAppTrafficCommand}.
 */
@Command(
    name = "ingress",
    mixinStandardHelpOptions = true,
    description = "Manage a container app's ingress and traffic.",
    subcommands = {
      ContainerAppIngressCommand.Enable.class,
      ContainerAppIngressCommand.Disable.class,
      ContainerAppIngressCommand.Show.class,
      ContainerAppTrafficCommand.class
    })
final class ContainerAppIngressCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Fqdn", "/fqdn"),
          Output.Column.of("External", "/external"),
          Output.Column.of("TargetPort", "/targetPort"),
          Output.Column.of("Transport", "/transport"),
          Output.Column.of("AllowInsecure", "/allowInsecure"));

  /** The ingress of {@code app}; fails, saying how to enable it, when it has none. */
  static ObjectNode ingressOf(JsonNode app, String name) {
    if (app.at("/properties/configuration/ingress") instanceof ObjectNode ingress) {
      return ingress;
    }
    throw new CliFailure(
        "Ingress is not enabled for container app '"
            + name
            + "'. Enable it with 'berth containerapp ingress enable'.");
  }

  /** {@code berth containerapp ingress enable --type external|internal --target-port N}. */
  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable ingress.")
  static final class Enable extends ContainerAppBase.Named {
    @Option(
        names = "--type",
        required = true,
        paramLabel = "external|internal",
        description = "external: reachable from outside the environment; internal: only inside.")
    String type;

    @Option(
        names = "--target-port",
        required = true,
        paramLabel = "PORT",
        description = "The port the app listens on.")
    int targetPort;

    @Option(
        names = "--transport",
        defaultValue = "auto",
        paramLabel = "auto|http|http2|tcp",
        description = "Transport (default: auto).")
    String transport;

    @Option(names = "--exposed-port", paramLabel = "PORT", description = "Exposed port (tcp).")
    Integer exposedPort;

    @Option(names = "--allow-insecure", description = "Serve plain HTTP instead of redirecting.")
    boolean allowInsecure;

    Enable(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      String t = type.toLowerCase(Locale.ROOT);
      if (!t.equals("external") && !t.equals("internal")) {
        throw new CliFailure("--type is 'external' or 'internal', not '" + type + "'.");
      }
      Session session = session();
      ObjectNode app = appForPut(session);
      // Keeps traffic rules and other settings of an ingress that is already there.
      ObjectNode ingress = ContainerApps.object(configuration(app), "ingress");
      ingress
          .put("external", t.equals("external"))
          .put("targetPort", targetPort)
          .put("transport", transport)
          .put("allowInsecure", allowInsecure);
      if (exposedPort != null) {
        ingress.put("exposedPort", exposedPort);
      }
      JsonNode result = putApp(session, app, "container app '" + name + "'");
      print(ingressOf(result, name), COLUMNS);
      return 0;
    }
  }

  /** {@code berth containerapp ingress disable}: the app no longer answers at its URL. */
  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable ingress.")
  static final class Disable extends ContainerAppBase.Named {
    Disable(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      ObjectNode app = appForPut(session);
      configuration(app).remove("ingress");
      putApp(session, app, "container app '" + name + "'");
      printErr("Ingress disabled for container app '" + name + "'.");
      return 0;
    }
  }

  /** {@code berth containerapp ingress show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the ingress.")
  static final class Show extends ContainerAppBase.Named {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(ingressOf(app(session()), name), COLUMNS);
      return 0;
    }
  }
}
