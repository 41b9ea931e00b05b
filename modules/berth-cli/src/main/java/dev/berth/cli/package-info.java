/**
 * The {@code berth} client commands (login, logout, account, group, role, sp, acr, identity,
 * containerapp), built on picocli with {@code az}'s command names, flags, output and error line,
 * talking to a running Berth only through its public REST API, as {@code az} and the SDKs do.
 * {@code BerthCli} hands the commands to a launcher (the server's {@code Main}) or runs them
 * standalone; {@code CliEnvironment} is everything they read from the world, so tests can supply
 * their own. Saved logins are one owner-only profile per Berth endpoint (docs/cli.md).
 */
package dev.berth.cli;
