package dev.berth.cli;

import picocli.CommandLine.Command;

/**
 * {@code berth logout}: forgets the profile commands use (its secret and cached token with it); the
 * profiles of other Berths stay.
 */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Log out of Berth.")
final class LogoutCommand extends BerthCommand {

  LogoutCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    Profile current;
    try {
      current = profile();
    } catch (CliFailure e) {
      throw new CliFailure("There are no active accounts.");
    }
    profiles().delete(current.endpoint());
    return 0;
  }
}
