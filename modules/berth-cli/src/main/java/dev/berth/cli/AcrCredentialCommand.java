package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth acr credential}: the registry's admin user passwords. */
@Command(
    name = "credential",
    mixinStandardHelpOptions = true,
    description = "Show or renew the admin user's passwords.",
    subcommands = {AcrCredentialCommand.Show.class, AcrCredentialCommand.Renew.class})
final class AcrCredentialCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Username", "/username"),
          Output.Column.of("Password", "/passwords/0/value"),
          Output.Column.of("Password2", "/passwords/1/value"));

  private AcrCredentialCommand() {}

  /** {@code berth acr credential show}: {@code POST …/listCredentials}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the passwords.")
  static final class Show extends AcrBase {
    @Mixin ByName registry = new ByName();

    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(
          session.arm().post(at(registryId(session, registry), "listCredentials"), null), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr credential renew}: {@code POST …/regenerateCredential}. */
  @Command(name = "renew", mixinStandardHelpOptions = true, description = "Renew a password.")
  static final class Renew extends AcrBase {
    @Mixin ByName registry = new ByName();

    @Option(
        names = "--password-name",
        required = true,
        paramLabel = "password|password2",
        description = "Which password to renew.")
    String passwordName;

    Renew(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!passwordName.equals("password") && !passwordName.equals("password2")) {
        throw new IllegalArgumentException(
            "invalid --password-name '" + passwordName + "': use password or password2.");
      }
      Session session = session();
      ObjectNode body = JSON.createObjectNode().put("name", passwordName);
      print(
          session.arm().post(at(registryId(session, registry), "regenerateCredential"), body),
          COLUMNS);
      return 0;
    }
  }
}
