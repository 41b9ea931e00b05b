package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code berth account}: shows the signed-in account (never its secret or token). */
@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = "Show the signed-in account.",
    subcommands = {AccountCommand.Show.class})
final class AccountCommand {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("SubscriptionId", "/id"),
          Output.Column.of("TenantId", "/tenantId"),
          Output.Column.of("User", "/user/name"),
          Output.Column.of("Endpoint", "/managementEndpoint"));

  /** The account as az prints it: subscription, tenant, user; no secret, no token. */
  static ObjectNode describe(Profile profile) {
    ObjectNode n = BerthCommand.JSON.createObjectNode();
    n.put("environmentName", "Berth");
    n.put("id", profile.subscriptionId());
    n.put("isDefault", true);
    n.put("state", "Enabled");
    n.put("tenantId", profile.tenantId());
    ObjectNode user = n.putObject("user");
    user.put("name", profile.clientId());
    user.put("type", "servicePrincipal");
    n.put("managementEndpoint", profile.endpoint().toString());
    n.put("authority", profile.authority().toString());
    profile.caFile().ifPresent(p -> n.put("caFile", p.toString()));
    return n;
  }

  /** {@code berth account show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the account.")
  static final class Show extends BerthCommand {
    Show(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      ObjectNode account = describe(profile());
      global.subscription().ifPresent(s -> account.put("id", s));
      print(account, COLUMNS);
      return 0;
    }
  }
}
