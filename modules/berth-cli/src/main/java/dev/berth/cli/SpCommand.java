package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth sp}: service principals ({@code Berth.Identity/servicePrincipals}). */
@Command(
    name = "sp",
    mixinStandardHelpOptions = true,
    description = "Manage service principals.",
    subcommands = {
      SpCommand.Create.class,
      SpCommand.ListPrincipals.class,
      SpCommand.Show.class,
      SpCommand.Delete.class,
      SpCommand.Credential.class
    })
final class SpCommand {

  static final String COLLECTION = "/providers/Berth.Identity/servicePrincipals";
  static final String API_VERSION = "?api-version=2025-01-01";

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("DisplayName", "/properties/displayName"),
          Output.Column.of("AppId", "/properties/appId"),
          Output.Column.of("PrincipalId", "/properties/principalId"));

  static final List<Output.Column> CREDENTIAL_COLUMNS =
      List.of(
          Output.Column.of("AppId", "/appId"),
          Output.Column.of("DisplayName", "/displayName"),
          Output.Column.of("Password", "/password"),
          Output.Column.of("Tenant", "/tenant"));

  private SpCommand() {}

  /** What {@code az ad sp create-for-rbac} prints, plus the principal (object) id. */
  static ObjectNode credentials(JsonNode principal) {
    JsonNode p = principal.path("properties");
    ObjectNode n = BerthCommand.JSON.createObjectNode();
    n.put("appId", p.path("appId").asText());
    n.put("displayName", p.path("displayName").asText());
    n.put("password", p.path("clientSecret").asText());
    n.put("tenant", p.path("tenantId").asText());
    n.put("principalId", p.path("principalId").asText());
    return n;
  }

  /** {@code berth sp create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a service principal and print its secret (shown only once).")
  static final class Create extends BerthCommand {
    @Option(names = "--name", required = true, description = "Display name.")
    String name;

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      ObjectNode body = JSON.createObjectNode();
      body.put("displayName", name);
      JsonNode created = session().arm().post(COLLECTION + API_VERSION, body);
      print(credentials(created), CREDENTIAL_COLUMNS);
      return 0;
    }
  }

  /** {@code berth sp list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List principals.")
  static final class ListPrincipals extends BerthCommand {
    ListPrincipals(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(session().arm().list(COLLECTION + API_VERSION), COLUMNS);
      return 0;
    }
  }

  /** {@code berth sp show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a principal.")
  static final class Show extends BerthCommand {
    @Option(names = "--id", required = true, paramLabel = "APP_ID", description = "App id.")
    String appId;

    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(session().arm().get(COLLECTION + "/" + appId + API_VERSION), COLUMNS);
      return 0;
    }
  }

  /** {@code berth sp delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a principal.")
  static final class Delete extends BerthCommand {
    @Option(names = "--id", required = true, paramLabel = "APP_ID", description = "App id.")
    String appId;

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      session().arm().delete(COLLECTION + "/" + appId + API_VERSION, true);
      return 0;
    }
  }

  /** {@code berth sp credential}. */
  @Command(
      name = "credential",
      mixinStandardHelpOptions = true,
      description = "Manage a principal's secret.",
      subcommands = {Credential.Reset.class})
  static final class Credential {

    /** {@code berth sp credential reset}: replaces the secret and prints the new one. */
    @Command(name = "reset", mixinStandardHelpOptions = true, description = "Reset the secret.")
    static final class Reset extends BerthCommand {
      @Option(names = "--id", required = true, paramLabel = "APP_ID", description = "App id.")
      String appId;

      Reset(CliEnvironment env) {
        super(env);
      }

      @Override
      int run() {
        JsonNode reset =
            session().arm().post(COLLECTION + "/" + appId + "/resetSecret" + API_VERSION, null);
        print(credentials(reset), CREDENTIAL_COLUMNS);
        return 0;
      }
    }
  }
}
