package dev.berth.cli;

import java.lang.reflect.Constructor;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code berth} command line: the client commands (login, logout, account, group, role, sp,
 * acr, identity, containerapp) for a launcher to register, and a {@code main} that runs them
 * standalone. Stateless, thread-safe.
 *
 * <p>A launcher registers them with {@code BerthCli.commands().forEach(launcher::addSubcommand)}.
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    description = "Berth: serverless containers with the surface of Azure Container Apps.")
public final class BerthCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The client commands, each a {@link CommandLine} wired to the real process environment. */
  public static List<CommandLine> commands() {
    return commands(CliEnvironment.system());
  }

  /** The client commands, reading variables, home, clock and terminal from {@code env}. */
  public static List<CommandLine> commands(CliEnvironment env) {
    CommandLine.IFactory factory = factory(env);
    return List.of(
            LoginCommand.class,
            LogoutCommand.class,
            AzSetupCommand.class,
            AccountCommand.class,
            GroupCommand.class,
            RoleCommand.class,
            SpCommand.class,
            UserCommand.class,
            AcrCommand.class,
            IdentityCommand.class,
            ContainerAppCommand.class,
            MetricsCommand.class)
        .stream()
        .map(type -> new CommandLine(type, factory))
        .toList();
  }

  /** The standalone {@code berth} command holding the client commands. */
  public static CommandLine commandLine(CliEnvironment env) {
    CommandLine top = new CommandLine(new BerthCli());
    commands(env).forEach(top::addSubcommand);
    return top;
  }

  public static void main(String[] args) {
    System.exit(commandLine(CliEnvironment.system()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Creates commands through their {@code (CliEnvironment)} constructor when they have one. */
  private static CommandLine.IFactory factory(CliEnvironment env) {
    CommandLine.IFactory fallback = CommandLine.defaultFactory();
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
          Class<?>[] params = c.getParameterTypes();
          if (params.length == 1 && params[0] == CliEnvironment.class) {
            c.setAccessible(true);
            return type.cast(c.newInstance(env));
          }
        }
        return fallback.create(type);
      }
    };
  }
}
