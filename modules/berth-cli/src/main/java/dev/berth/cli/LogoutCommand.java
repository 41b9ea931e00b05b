package dev.berth.cli;

import picocli.CommandLine.Command;

/** {@code berth logout}: forgets the saved profile (its secret and cached token with it). */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Log out of Berth.")
final class LogoutCommand extends BerthCommand {

  LogoutCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    if (!profiles().delete()) {
      throw new CliFailure("There are no active accounts.");
    }
    return 0;
  }
}
