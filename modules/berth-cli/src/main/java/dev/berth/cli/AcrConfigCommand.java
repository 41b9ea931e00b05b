package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth acr config}: registry policies. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Configure registry policies.",
    subcommands = {AcrConfigCommand.AuthenticationAsArm.class})
final class AcrConfigCommand {

  static final String POLICY = "azureADAuthenticationAsArmPolicy";

  static final List<Output.Column> COLUMNS = List.of(Output.Column.of("Status", "/status"));

  private AcrConfigCommand() {}

  /**
   * The registry's ARM-audience policy status; {@code enabled} when the registry says nothing,
   * which is both ARM's default and what az prints then.
   */
  static String armAudienceStatus(JsonNode registry) {
    JsonNode status = registry.path("properties").path("policies").path(POLICY).path("status");
    return status.isTextual() ? status.asText() : "enabled";
  }

  /** {@code berth acr config authentication-as-arm}. */
  @Command(
      name = "authentication-as-arm",
      mixinStandardHelpOptions = true,
      description = "Whether the registry accepts Entra tokens with the ARM audience.",
      subcommands = {AuthenticationAsArm.Show.class, AuthenticationAsArm.Update.class})
  static final class AuthenticationAsArm {

    /** {@code berth acr config authentication-as-arm show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the policy.")
    static final class Show extends AcrBase {
      @Mixin ByRegistry registry = new ByRegistry();

      Show(CliEnvironment env) {
        super(env);
      }

      @Override
      int run() {
        Session session = session();
        print(
            JSON.createObjectNode().put("status", armAudienceStatus(registry(session, registry))),
            COLUMNS);
        return 0;
      }
    }

    /** {@code berth acr config authentication-as-arm update}: PATCHes only this policy. */
    @Command(name = "update", mixinStandardHelpOptions = true, description = "Set the policy.")
    static final class Update extends AcrBase {
      @Mixin ByRegistry registry = new ByRegistry();

      @Option(
          names = "--status",
          required = true,
          paramLabel = "enabled|disabled",
          description = "enabled or disabled.")
      String status;

      Update(CliEnvironment env) {
        super(env);
      }

      @Override
      int run() {
        String value = enabledOrDisabled("--status", status);
        Session session = session();
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").putObject("policies").putObject(POLICY).put("status", value);
        JsonNode updated = session.arm().patch(at(registryId(session, registry)), body);
        print(JSON.createObjectNode().put("status", armAudienceStatus(updated)), COLUMNS);
        return 0;
      }
    }
  }
}
