package dev.berth.server;

import dev.berth.cli.BerthCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code berth} launcher: {@code berth up} and {@code berth ca} run here, next to the server;
 * every other command is the CLI, which talks to a running Berth over its REST API.
 */
@Command(
    name = "berth",
    description = "Berth: Azure Container Apps and Azure Container Registry on your own machine.",
    mixinStandardHelpOptions = true,
    version = "berth 0.1.0")
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The whole command tree: the server commands and the CLI's. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand(new UpCommand());
    cli.addSubcommand(new CaCommand());
    cli.addSubcommand(new StoreCommand());
    cli.addSubcommand(new BlobsCommand());
    cli.addSubcommand(new TrainCommand());
    BerthCli.commands().forEach(cli::addSubcommand);
    return cli;
  }
}
