package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AccessDecision;
import dev.berth.api.acr.AccessDecision.Reason;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.acr.Registry;
import dev.berth.api.acr.RegistryLogins;
import dev.berth.api.acr.ScopeMaps;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A registries[] entry that logs in with a username and a password secret: the secret is missing,
 * or the registry refuses the login as it decides it ({@link RegistryLogins}: the admin user is
 * disabled, the token is missing or disabled, the secret holds no current password of either), or
 * the token's scope map does not let it pull the repository ({@link ScopeMaps}). Thread-safe.
 */
public final class PasswordCheck implements Check {

  private final ResourceStore store;
  private final SecretSealer sealer;
  private final Clock clock;

  public PasswordCheck(ResourceStore store, SecretSealer sealer, Clock clock) {
    this.store = store;
    this.sealer = sealer;
    this.clock = clock;
  }

  @Override
  public List<Finding> run(PullContext c) {
    Optional<String> username = c.entryUsername();
    if (username.isEmpty()) {
      return List.of();
    }
    String user = username.get();
    Optional<String> secretName =
        c.entry().flatMap(e -> AppFacts.text(e.path("passwordSecretRef")));
    if (secretName.isEmpty()) {
      return List.of(
          new Finding(
              CauseCode.PASSWORD_SECRET_REF_MISSING,
              "The registry entry for " + c.server() + " has no password",
              "It logs in as '" + user + "' but names no passwordSecretRef.",
              List.of(c.app().id().value()),
              Commands.registrySetPassword(c.app(), c.server(), user)));
    }
    String secret = secretName.get();
    Optional<String> stored = c.app().secret(secret);
    List<Finding> findings = new ArrayList<>();
    Optional<String> password;
    try {
      password = stored.map(v -> sealer.open(v, SecretSlot.appSecret(c.app().id(), secret)));
    } catch (SealedValueException e) {
      findings.add(
          new Finding(
              CauseCode.SECRET_UNREADABLE,
              "Secret '" + secret + "' of app '" + c.app().name() + "' cannot be read",
              "Berth cannot open it: " + e.getMessage() + ". Set it again.",
              List.of(c.app().id().value()),
              Commands.secretSet(c.app(), secret, "<password>")));
      return findings;
    }
    if (password.isEmpty()) {
      findings.add(
          new Finding(
              CauseCode.SECRET_MISSING,
              "Secret '" + secret + "' does not exist in app '" + c.app().name() + "'",
              "The registry entry for " + c.server() + " takes its password from it.",
              List.of(c.app().id().value()),
              Commands.secretSet(c.app(), secret, "<password>")));
    }
    Optional<JsonNode> admin =
        store.get(AcrDocuments.adminCredentials(c.registry().id())).map(StoredResource::body);
    if (user.equalsIgnoreCase(RegistryLogins.adminUsername(c.registry(), admin))) {
      adminFindings(c, user, secret, password, admin, findings);
    } else {
      tokenFindings(c, user, secret, password, findings);
    }
    return findings;
  }

  private void adminFindings(
      PullContext c,
      String user,
      String secret,
      Optional<String> password,
      Optional<JsonNode> admin,
      List<Finding> findings) {
    Registry registry = c.registry();
    // Without the secret only the registry's own state can be judged: any password would do.
    AccessDecision login = RegistryLogins.admin(registry, admin, password.orElse(""), sealer);
    if (login.refusal(Reason.ADMIN_USER_DISABLED).isPresent()) {
      findings.add(
          new Finding(
              CauseCode.ADMIN_USER_DISABLED,
              "The admin user of " + registry.name() + " is disabled",
              "The registry entry for "
                  + c.server()
                  + " logs in as '"
                  + user
                  + "', the admin user.",
              List.of(registry.id().value()),
              Commands.adminEnable(registry)));
    }
    if (password.isPresent() && login.refusal(Reason.WRONG_PASSWORD).isPresent()) {
      findings.add(
          new Finding(
              CauseCode.ADMIN_PASSWORD_WRONG,
              "Secret '"
                  + secret
                  + "' does not hold a password of "
                  + registry.name()
                  + "'s admin user",
              "The registry refuses '"
                  + user
                  + "' with it; copy a current password into the secret.",
              List.of(registry.id().value(), c.app().id().value()),
              Commands.credentialShow(registry)
                  + "\n"
                  + Commands.secretSet(c.app(), secret, "<password>")));
    }
  }

  private void tokenFindings(
      PullContext c,
      String user,
      String secret,
      Optional<String> password,
      List<Finding> findings) {
    Registry registry = c.registry();
    ResourceId tokenId = registry.id().child("tokens", user);
    Optional<StoredResource> token = store.get(tokenId);
    if (token.isEmpty()) {
      findings.add(
          new Finding(
              CauseCode.TOKEN_MISSING,
              registry.name() + " has no admin user or token named '" + user + "'",
              "The registry entry for "
                  + c.server()
                  + " logs in as '"
                  + user
                  + "'; the admin user is '"
                  + registry.name()
                  + "'.",
              List.of(registry.id().value()),
              "berth acr token create -r "
                  + registry.name()
                  + " -n "
                  + user
                  + " --scope-map _repositories_pull\n"
                  + Commands.secretSet(c.app(), secret, "<password>")));
      return;
    }
    Optional<JsonNode> passwords =
        store.get(AcrDocuments.tokenPasswords(tokenId)).map(StoredResource::body);
    AccessDecision login =
        RegistryLogins.token(
            registry, user, token.get().body(), passwords, password.orElse(""), clock.instant());
    if (login.refusal(Reason.TOKEN_DISABLED).isPresent()) {
      findings.add(
          new Finding(
              CauseCode.TOKEN_DISABLED,
              "Token '" + user + "' of " + registry.name() + " is disabled",
              "The registry entry for " + c.server() + " logs in with it.",
              List.of(tokenId.value()),
              Commands.tokenEnable(registry, user)));
    }
    Optional<AccessDecision.Refusal> expired = login.refusal(Reason.PASSWORD_EXPIRED);
    if (password.isPresent() && expired.isPresent()) {
      findings.add(
          new Finding(
              CauseCode.TOKEN_PASSWORD_EXPIRED,
              "The password of token '" + user + "' in secret '" + secret + "' has expired",
              "The registry refuses it: "
                  + expired.get().message()
                  + ". Generate a password and store it in the secret.",
              List.of(tokenId.value(), c.app().id().value()),
              Commands.tokenPasswordGenerate(registry, user)
                  + "\n"
                  + Commands.secretSet(c.app(), secret, "<password>")));
    }
    if (password.isPresent() && login.refusal(Reason.WRONG_PASSWORD).isPresent()) {
      findings.add(
          new Finding(
              CauseCode.TOKEN_PASSWORD_WRONG,
              "Secret '" + secret + "' does not hold a current password of token '" + user + "'",
              "The registry refuses '" + user + "' with it; generate a password and store it.",
              List.of(tokenId.value(), c.app().id().value()),
              Commands.tokenPasswordGenerate(registry, user)
                  + "\n"
                  + Commands.secretSet(c.app(), secret, "<password>")));
    }
    scopeMapFindings(c, user, token.get(), findings);
  }

  /** The token logs in, but its scope map does not let it pull the repository. */
  private void scopeMapFindings(
      PullContext c, String user, StoredResource token, List<Finding> findings) {
    Optional<ResourceId> mapId = RegistryLogins.scopeMapId(token.body());
    List<String> actions =
        mapId.flatMap(store::get).map(m -> ScopeMaps.actions(m.body())).orElse(List.of());
    AccessDecision pull = ScopeMaps.decide(c.registry(), user, actions, c.repository(), "pull");
    if (pull.isGranted()) {
      return;
    }
    String map = mapId.map(ResourceId::name).orElse("<scope map>");
    findings.add(
        new Finding(
            CauseCode.SCOPE_MAP_EXCLUDES,
            "Token '" + user + "' of " + c.registry().name() + " cannot pull " + c.repository(),
            "Its scope map '"
                + map
                + "' has no action repositories/"
                + c.repository()
                + "/content/read, nor a wildcard that covers it.",
            List.of(token.id().value()),
            Commands.scopeMapAddRepository(c.registry(), map, c.repository())));
  }
}
