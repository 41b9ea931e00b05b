package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth acr login}: gets an ACR refresh token the way {@code az acr login} does, and either
 * prints it ({@code --expose-token}) or stores it where podman and skopeo look for credentials.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in to a registry (podman/skopeo auth file, or --expose-token).")
final class AcrLoginCommand extends AcrBase {

  static final List<Output.Column> COLUMNS =
      List.of(
          Output.Column.of("LoginServer", "/loginServer"),
          Output.Column.of("Username", "/username"));

  /** {@code --audience} values. */
  enum Audience {
    arm,
    acr
  }

  @Mixin ByName registry = new ByName();

  @Option(
      names = {"-t", "--expose-token"},
      description = "Print the token instead of storing it.")
  boolean exposeToken;

  @Option(
      names = "--audience",
      paramLabel = "arm|acr",
      description =
          "Entra token audience: arm (default, unless the registry refuses ARM-audience"
              + " tokens) or acr.")
  Audience audience;

  AcrLoginCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() {
    Session session = session();
    RegistryLogin.Credential credential =
        RegistryLogin.login(
            session, registry.name, registry(session, registry), audience == Audience.acr);
    String server = credential.loginServer();
    if (exposeToken) {
      ObjectNode result = JSON.createObjectNode();
      result.put("accessToken", credential.refreshToken());
      result.put("loginServer", server);
      result.put("username", RegistryLogin.TOKEN_USERNAME);
      String ca =
          session.profile().caFile().map(Object::toString).orElse("<Berth's CA certificate>");
      printErr(
          "WARNING: You can log in with the token below, for example: 'skopeo login -u "
              + RegistryLogin.TOKEN_USERNAME
              + " -p <accessToken> "
              + server
              + "' (or 'podman login'). The registry's certificate is signed by Berth's CA ("
              + ca
              + "): copy it as ca.crt into a directory given with --cert-dir, or into"
              + " /etc/containers/certs.d/"
              + server
              + "/. Set REGISTRY_AUTH_FILE to choose where the credentials are kept.");
      print(result, COLUMNS);
      return 0;
    }
    AuthFile file = AuthFile.of(env);
    file.storeRefreshToken(server, RegistryLogin.TOKEN_USERNAME, credential.refreshToken());
    debug().accept("Stored credentials for " + server + " in " + file.path());
    out().println("Login Succeeded");
    out().flush();
    return 0;
  }
}
