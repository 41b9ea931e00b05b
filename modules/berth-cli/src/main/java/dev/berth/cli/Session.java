package dev.berth.cli;

import dev.berth.client.AccessToken;
import dev.berth.client.ArmClient;
import dev.berth.client.RegistryClient;
import dev.berth.client.Tls;
import dev.berth.client.TokenClient;
import java.net.http.HttpClient;
import java.util.function.Consumer;

/**
 * A signed-in connection to Berth built from the saved profile: the HTTP client trusting the
 * profile's CA, and a token that is refreshed (and saved) when it expires. Thread-safe.
 */
final class Session {

  /** Refresh this long before expiry so a token never runs out in the middle of a command. */
  private static final long REFRESH_MARGIN_SECONDS = 120;

  private final ProfileStore store;
  private final CliEnvironment env;
  private final HttpClient http;
  private final TokenClient tokens;
  private final Consumer<String> debug;
  private Profile profile;

  Session(ProfileStore store, Profile profile, CliEnvironment env, Consumer<String> debug) {
    this.store = store;
    this.profile = profile;
    this.env = env;
    this.debug = debug;
    this.http = Tls.httpClient(profile.caFile());
    this.tokens = TokenClient.create(http, env.clock(), debug);
  }

  synchronized Profile profile() {
    return profile;
  }

  ArmClient arm() {
    return ArmClient.create(http, profile().endpoint(), this::token, debug, env.sleeper());
  }

  /** A client for a registry's login server ({@code host[:port]}), trusting the profile's CA. */
  RegistryClient registry(String loginServer) {
    return RegistryClient.create(http, loginServer, debug);
  }

  /**
   * A fresh token of the profile's service principal for another audience (such as ACR's); not
   * cached, since only the management token is reused across commands.
   */
  String token(String scope) {
    Profile p = profile();
    return tokens
        .clientCredentials(p.authority(), p.tenantId(), p.clientId(), p.clientSecret(), scope)
        .token();
  }

  /** The cached token, or a fresh one when it is missing or about to expire. */
  synchronized String token() {
    if (profile.token().isEmpty()
        || profile.token().get().expiresWithin(env.clock().instant(), REFRESH_MARGIN_SECONDS)) {
      debug.accept("Access token expired; requesting a new one");
      AccessToken fresh =
          tokens.clientCredentials(
              profile.authority(),
              profile.tenantId(),
              profile.clientId(),
              profile.clientSecret(),
              TokenClient.managementScope(profile.endpoint()));
      profile = profile.withToken(fresh);
      store.save(profile);
    }
    return profile.token().get().token();
  }
}
