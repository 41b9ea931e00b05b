package dev.berth.reconciler.diagnosis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.acr.Registry;
import dev.berth.reconciler.diagnosis.CauseCode;
import dev.berth.reconciler.diagnosis.FailedPull;
import dev.berth.reconciler.diagnosis.Finding;
import dev.berth.runtime.image.ImageReference;
import dev.berth.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An image that names a Berth registry's host but not its login server: each registry listens on a
 * port of its own ({@code <name>.azurecr.io.localhost:<port>}), and an image written as for Azure
 * ({@code <name>.azurecr.io.localhost/api:1}) goes to 443, the HTTPS default, where no registry
 * listens. The fix names the login server in the image and in the app's registries[] entry.
 * Stateless.
 */
public final class LoginServerPort {

  private static final int HTTPS = 443;

  private LoginServerPort() {}

  /**
   * The finding for {@code pull} when its image's host is one of {@code registries}' on another
   * port; empty when it is no Berth registry's host at all. {@code store} is read for the app's
   * identities.
   */
  public static Optional<Finding> find(
      FailedPull pull, List<Registry> registries, ResourceStore store) {
    String server = pull.image().registry();
    String host = host(server);
    return registries.stream()
        .filter(r -> !r.loginServer().isEmpty() && host(r.loginServer()).equals(host))
        .findFirst()
        .map(r -> finding(pull, r, store));
  }

  private static Finding finding(FailedPull pull, Registry registry, ResourceStore store) {
    String server = pull.image().registry();
    int colon = server.lastIndexOf(':');
    String port = colon < 0 ? HTTPS + ", the HTTPS default," : server.substring(colon + 1);
    AppFacts app = AppFacts.from(pull.app(), store);
    List<String> fix = new ArrayList<>();
    pull.registryEntry().flatMap(e -> registrySet(app, e, registry)).ifPresent(fix::add);
    ImageReference image = pull.image();
    ImageReference fixed =
        new ImageReference(registry.loginServer(), image.repository(), image.tag(), image.digest());
    fix.add(Commands.updateImage(app, pull.container(), fixed.toString()));
    return new Finding(
        CauseCode.LOGIN_SERVER_PORT_WRONG,
        server
            + " is not the login server of "
            + registry.name()
            + ": it is "
            + registry.loginServer(),
        "Each registry of Berth's listens on a port of its own; the image's registry reaches port "
            + port
            + " where none does. Name the login server as `berth acr show -n "
            + registry.name()
            + "` prints it, in the image and in the app's registries[] entry.",
        List.of(pull.app().id().value(), registry.id().value()),
        String.join("\n", fix));
  }

  /** The entry again, for the login server, with the same credential. */
  private static Optional<String> registrySet(AppFacts app, JsonNode entry, Registry registry) {
    String identity = entry.path("identity").asText("");
    if (!identity.isBlank()) {
      return Optional.of(Commands.registrySetIdentity(app, registry.loginServer(), identity));
    }
    String username = entry.path("username").asText("");
    if (!username.isBlank()) {
      return Optional.of(Commands.registrySetPassword(app, registry.loginServer(), username));
    }
    return Optional.empty();
  }

  private static String host(String server) {
    String s = server.strip().toLowerCase(Locale.ROOT);
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}
