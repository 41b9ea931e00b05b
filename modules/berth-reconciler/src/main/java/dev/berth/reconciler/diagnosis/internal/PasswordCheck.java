package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.ResourceId;
import dev.berth.api.acr.AcrDocuments;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A registries[] entry that logs in with a username and a password secret: the secret is missing,
 * the admin user is disabled, the token is missing or disabled, or the secret holds no current
 * password of the admin user or token (acr-auth.md §3.3, §5; the documents of {@link
 * AcrDocuments}). Thread-safe.
 */
public final class PasswordCheck implements Check {

  private final ResourceStore store;
  private final TokenPasswords tokenPasswords;
  private final SecretSealer sealer;

  public PasswordCheck(ResourceStore store, TokenPasswords tokenPasswords, SecretSealer sealer) {
    this.store = store;
    this.tokenPasswords = tokenPasswords;
    this.sealer = sealer;
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
              "The registry entry for " + c.server() + " has no password",
              "It logs in as '" + user + "' but names no passwordSecretRef.",
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
              "Secret '" + secret + "' of app '" + c.app().name() + "' cannot be read",
              "Berth cannot open it: " + e.getMessage() + ". Set it again.",
              Commands.secretSet(c.app(), secret, "<password>")));
      return findings;
    }
    if (password.isEmpty()) {
      findings.add(
          new Finding(
              "Secret '" + secret + "' does not exist in app '" + c.app().name() + "'",
              "The registry entry for " + c.server() + " takes its password from it.",
              Commands.secretSet(c.app(), secret, "<password>")));
    }
    Optional<StoredResource> admin = store.get(AcrDocuments.adminCredentials(c.registry().id()));
    String adminName =
        admin
            .map(a -> a.body().path("username").asText(""))
            .filter(s -> !s.isBlank())
            .orElse(c.registry().name());
    if (user.equalsIgnoreCase(adminName)) {
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
      Optional<StoredResource> admin,
      List<Finding> findings) {
    RegistryFacts registry = c.registry();
    if (!registry.adminUserEnabled()) {
      findings.add(
          new Finding(
              "The admin user of " + registry.name() + " is disabled",
              "The registry entry for "
                  + c.server()
                  + " logs in as '"
                  + user
                  + "', the admin user.",
              Commands.adminEnable(registry)));
    }
    if (password.isPresent()
        && admin.isPresent()
        && !isAdminPassword(registry.id(), admin.get(), password.get())) {
      findings.add(
          new Finding(
              "Secret '"
                  + secret
                  + "' does not hold a password of "
                  + registry.name()
                  + "'s admin user",
              "The registry refuses '"
                  + user
                  + "' with it; copy a current password into the secret.",
              Commands.credentialShow(registry)
                  + "\n"
                  + Commands.secretSet(c.app(), secret, "<password>")));
    }
  }

  private boolean isAdminPassword(ResourceId registry, StoredResource admin, String password) {
    for (JsonNode p : admin.body().path("passwords")) {
      SecretSlot slot = SecretSlot.adminPassword(registry, p.path("name").asText(""));
      if (sealer.opens(p.path("value").asText(""), slot)
          && sealer.open(p.path("value").asText(""), slot).equals(password)) {
        return true;
      }
    }
    return false;
  }

  private void tokenFindings(
      PullContext c,
      String user,
      String secret,
      Optional<String> password,
      List<Finding> findings) {
    RegistryFacts registry = c.registry();
    ResourceId tokenId = registry.id().child("tokens", user);
    Optional<StoredResource> token = store.get(tokenId);
    if (token.isEmpty()) {
      findings.add(
          new Finding(
              registry.name() + " has no admin user or token named '" + user + "'",
              "The registry entry for "
                  + c.server()
                  + " logs in as '"
                  + user
                  + "'; the admin user is '"
                  + registry.name()
                  + "'.",
              "berth acr token create -r "
                  + registry.name()
                  + " -n "
                  + user
                  + " --scope-map _repositories_pull\n"
                  + Commands.secretSet(c.app(), secret, "<password>")));
      return;
    }
    if ("disabled"
        .equalsIgnoreCase(token.get().body().path("properties").path("status").asText(""))) {
      findings.add(
          new Finding(
              "Token '" + user + "' of " + registry.name() + " is disabled",
              "The registry entry for " + c.server() + " logs in with it.",
              Commands.tokenEnable(registry, user)));
    }
    if (password.isPresent() && !tokenPasswords.matches(tokenId, password.get())) {
      findings.add(
          new Finding(
              "Secret '" + secret + "' does not hold a current password of token '" + user + "'",
              "The registry refuses '" + user + "' with it; generate a password and store it.",
              Commands.tokenPasswordGenerate(registry, user)
                  + "\n"
                  + Commands.secretSet(c.app(), secret, "<password>")));
    }
  }
}
