package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth acr token}: repository-scoped tokens ({@code …/registries/{r}/tokens/{name}}) whose
 * passwords come from {@code POST …/generateCredentials} and are shown only then.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manage repository-scoped tokens.",
    subcommands = {
      AcrTokenCommand.Create.class,
      AcrTokenCommand.Show.class,
      AcrTokenCommand.ListTokens.class,
      AcrTokenCommand.Update.class,
      AcrTokenCommand.Delete.class,
      AcrTokenCommand.Credential.class
    })
final class AcrTokenCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("Name", "/name"),
          Output.Column.of("ScopeMapId", "/properties/scopeMapId"),
          Output.Column.of("Status", "/properties/status"),
          Output.Column.of("ProvisioningState", "/properties/provisioningState"));

  static final List<Output.Column> CREDENTIAL_COLUMNS =
      List.of(
          Output.Column.of("Username", "/username"),
          Output.Column.of("Password1", "/passwords/0/value"),
          Output.Column.of("Password2", "/passwords/1/value"));

  private AcrTokenCommand() {}

  /** A token command: knows its registry and the token's paths. */
  abstract static class TokenBase extends AcrBase {
    @Mixin ByRegistry registry = new ByRegistry();

    @Option(
        names = {"-n", "--name"},
        required = true,
        description = "Token name.")
    String name;

    TokenBase(CliEnvironment env) {
      super(env);
    }

    String tokenId(Session session) {
      return tokenId(registryId(session, registry));
    }

    String tokenId(String registryId) {
      return registryId + "/tokens/" + name;
    }

    /**
     * Generates the named passwords, one {@code generateCredentials} call each, and returns {@code
     * {"username","passwords":[…]}}.
     */
    ObjectNode generate(Session session, String registryId, List<String> names) {
      ObjectNode credentials = JSON.createObjectNode();
      credentials.put("username", name);
      ArrayNode passwords = credentials.putArray("passwords");
      for (String password : names) {
        ObjectNode body =
            JSON.createObjectNode().put("tokenId", tokenId(registryId)).put("name", password);
        JsonNode generated = session.arm().post(at(registryId, "generateCredentials"), body);
        if (generated.hasNonNull("username")) {
          credentials.put("username", generated.get("username").asText());
        }
        generated.path("passwords").forEach(passwords::add);
      }
      return credentials;
    }
  }

  /** {@code berth acr token create}: PUTs the token, then generates {@code password1}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token.")
  static final class Create extends TokenBase {
    @Option(names = "--scope-map", required = true, description = "Scope map name.")
    String scopeMap;

    @Option(
        names = "--status",
        defaultValue = "enabled",
        paramLabel = "enabled|disabled",
        description = "Status (default: ${DEFAULT-VALUE}).")
    String status;

    @Option(names = "--no-passwords", description = "Do not generate a password.")
    boolean noPasswords;

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      String state = enabledOrDisabled("--status", status);
      Session session = session();
      String registryId = registryId(session, registry);
      ObjectNode body = JSON.createObjectNode();
      body.putObject("properties")
          .put("scopeMapId", registryId + "/scopeMaps/" + scopeMap)
          .put("status", state);
      JsonNode token = session.arm().put(at(tokenId(registryId)), body);
      if (noPasswords) {
        print(token, COLUMNS);
        return 0;
      }
      ObjectNode result =
          token.isObject() ? ((ObjectNode) token).deepCopy() : JSON.createObjectNode();
      result.set("credentials", generate(session, registryId, List.of("password1")));
      printErr("WARNING: Please store your generated credentials safely.");
      print(result, COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr token show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a token.")
  static final class Show extends TokenBase {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().get(at(tokenId(session))), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr token list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens.")
  static final class ListTokens extends AcrBase {
    @Mixin ByRegistry registry = new ByRegistry();

    ListTokens(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Session session = session();
      print(session.arm().list(at(registryId(session, registry), "tokens")), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr token update}: PATCHes the scope map and/or status. */
  @Command(name = "update", mixinStandardHelpOptions = true, description = "Update a token.")
  static final class Update extends TokenBase {
    @Option(names = "--scope-map", description = "Scope map name.")
    String scopeMap;

    @Option(names = "--status", paramLabel = "enabled|disabled", description = "Status.")
    String status;

    Update(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (scopeMap == null && status == null) {
        throw new CliFailure("Nothing to update: give --scope-map or --status.");
      }
      Session session = session();
      String registryId = registryId(session, registry);
      ObjectNode properties = JSON.createObjectNode();
      if (scopeMap != null) {
        properties.put("scopeMapId", registryId + "/scopeMaps/" + scopeMap);
      }
      if (status != null) {
        properties.put("status", enabledOrDisabled("--status", status));
      }
      ObjectNode body = JSON.createObjectNode();
      body.set("properties", properties);
      print(session.arm().patch(at(tokenId(registryId)), body), COLUMNS);
      return 0;
    }
  }

  /** {@code berth acr token delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a token.")
  static final class Delete extends TokenBase {
    @Mixin Confirmation confirmation = new Confirmation();

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(
          env, "Are you sure you want to delete the token '" + name + "'?")) {
        return 0;
      }
      Session session = session();
      session.arm().delete(at(tokenId(session)), true);
      return 0;
    }
  }

  /** {@code berth acr token credential}. */
  @Command(
      name = "credential",
      mixinStandardHelpOptions = true,
      description = "Manage a token's passwords.",
      subcommands = {Credential.Generate.class})
  static final class Credential {

    /** {@code berth acr token credential generate}: both passwords unless one is named. */
    @Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate passwords (shown only now).")
    static final class Generate extends TokenBase {
      @Option(names = "--password1", description = "Generate password1.")
      boolean password1;

      @Option(names = "--password2", description = "Generate password2.")
      boolean password2;

      Generate(CliEnvironment env) {
        super(env);
      }

      @Override
      int run() {
        List<String> names = new ArrayList<>();
        if (password1 || !password2) {
          names.add("password1");
        }
        if (password2 || !password1) {
          names.add("password2");
        }
        Session session = session();
        print(generate(session, registryId(session, registry), names), CREDENTIAL_COLUMNS);
        return 0;
      }
    }
  }
}
