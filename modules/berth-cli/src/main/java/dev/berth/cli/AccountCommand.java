package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code berth account}: shows the signed-in account (never its secret or token). */
@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = "Show the signed-in account.",
    subcommands = {AccountCommand.Show.class, AccountCommand.ListAccounts.class})
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

  /**
   * {@code berth account list}: every Berth logged in to, one per endpoint; {@code isDefault} marks
   * the one commands use.
   */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the Berths logged in to, one account per endpoint.")
  static final class ListAccounts extends BerthCommand {
    ListAccounts(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() {
      Optional<URI> inUse;
      try {
        inUse = Optional.of(profile().endpoint());
      } catch (CliFailure e) {
        inUse = Optional.empty();
      }
      ArrayNode all = JSON.createArrayNode();
      for (Profile p : profiles().all()) {
        ObjectNode account = describe(p);
        account.put(
            "isDefault",
            inUse
                .map(e -> ProfileStore.key(e).equals(ProfileStore.key(p.endpoint())))
                .orElse(false));
        all.add(account);
      }
      print(all, COLUMNS);
      return 0;
    }
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
