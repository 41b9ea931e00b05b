package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth user}: people's accounts ({@code Berth.Identity/users}), who sign in to the portal.
 */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = "Manage the users who sign in to the portal.",
    subcommands = {
      UserCommand.Create.class,
      UserCommand.ListUsers.class,
      UserCommand.Show.class,
      UserCommand.Delete.class,
      UserCommand.ResetPassword.class
    })
final class UserCommand {

  static final String COLLECTION = "/providers/Berth.Identity/users";
  static final String API_VERSION = "?api-version=2025-01-01";

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("UserName", "/properties/userName"),
          Output.Column.of("DisplayName", "/properties/displayName"),
          Output.Column.of("PrincipalId", "/properties/principalId"));

  static final List<Output.Column> PASSWORD_COLUMNS =
      List.of(
          Output.Column.of("UserName", "/userName"),
          Output.Column.of("DisplayName", "/displayName"),
          Output.Column.of("Password", "/password"),
          Output.Column.of("PrincipalId", "/principalId"));

  private UserCommand() {}

  static String path(String name) {
    return COLLECTION + "/" + name + API_VERSION;
  }

  /** The user and, when the answer has one, its password (shown only once). */
  static ObjectNode credentials(JsonNode user) {
    JsonNode p = user.path("properties");
    ObjectNode n = BerthCommand.JSON.createObjectNode();
    n.put("userName", p.path("userName").asText());
    n.put("displayName", p.path("displayName").asText());
    if (p.has("password")) {
      n.put("password", p.path("password").asText());
    }
    n.put("principalId", p.path("principalId").asText());
    n.put("tenant", p.path("tenantId").asText());
    return n;
  }

  /** {@code berth user create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a user. Without --password-stdin Berth makes a password and prints it (shown"
              + " only once).")
  static final class Create extends BerthCommand {
    @Option(names = "--name", required = true, description = "User name (what people sign in as).")
    String name;

    @Option(names = "--display-name", description = "Display name (default: the user name).")
    String displayName;

    @Option(
        names = "--password-stdin",
        description = "Read the password (at least 12 characters) from the first line of stdin.")
    boolean passwordStdin;

    Create(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode props = body.putObject("properties");
      if (displayName != null) {
        props.put("displayName", displayName);
      }
      if (passwordStdin) {
        props.put("password", firstLineOfStdin());
      }
      JsonNode created = session().arm().put(path(name), body, false);
      print(credentials(created), PASSWORD_COLUMNS);
      return 0;
    }

    private String firstLineOfStdin() {
      try {
        String line =
            new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8))
                .readLine();
        if (line == null || line.isEmpty()) {
          throw new CliFailure("--password-stdin: no password on standard input.");
        }
        return line;
      } catch (IOException e) {
        throw new CliFailure("--password-stdin: cannot read standard input: " + e.getMessage());
      }
    }
  }

  /** {@code berth user list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  static final class ListUsers extends BerthCommand {
    ListUsers(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(session().arm().list(COLLECTION + API_VERSION), COLUMNS);
      return 0;
    }
  }

  /** {@code berth user show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a user.")
  static final class Show extends BerthCommand {
    @Option(names = "--name", required = true, description = "User name.")
    String name;

    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      print(session().arm().get(path(name)), COLUMNS);
      return 0;
    }
  }

  /** {@code berth user delete}: the user, its role assignments, and its sign-ins' tokens. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a user and its role assignments.")
  static final class Delete extends BerthCommand {
    @Option(names = "--name", required = true, description = "User name.")
    String name;

    @Mixin Confirmation confirmation = new Confirmation();

    Delete(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      if (!confirmation.confirmed(
          env, "Are you sure you want to delete the user '" + name + "'?")) {
        return 0;
      }
      session().arm().delete(path(name), true);
      return 0;
    }
  }

  /** {@code berth user reset-password}: a new generated password, printed once. */
  @Command(
      name = "reset-password",
      mixinStandardHelpOptions = true,
      description = "Give a user a new generated password and print it (shown only once).")
  static final class ResetPassword extends BerthCommand {
    @Option(names = "--name", required = true, description = "User name.")
    String name;

    ResetPassword(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      JsonNode reset =
          session().arm().post(COLLECTION + "/" + name + "/resetPassword" + API_VERSION, null);
      print(credentials(reset), PASSWORD_COLUMNS);
      return 0;
    }
  }
}
