package dev.berth.reconciler.internal;

import dev.berth.api.app.ContainerApp;
import dev.berth.api.secrets.SealedValueException;
import dev.berth.api.secrets.SecretSealer;
import dev.berth.api.secrets.SecretSlot;
import java.util.Optional;

/**
 * Opens a container app's secrets, which the store keeps sealed to the app and the secret's name
 * (docs/security.md). Stateless.
 */
final class SecretValues {

  private SecretValues() {}

  /**
   * The clear value of the secret {@code name}, empty when the app has no such secret (or it is a
   * Key Vault reference).
   *
   * @throws SealedValueException when the stored value does not open: not sealed, another key,
   *     copied from another app
   */
  static Optional<String> open(ContainerApp app, String name, SecretSealer sealer) {
    return app.secret(name)
        .flatMap(s -> s.value().map(v -> sealer.open(v, SecretSlot.appSecret(app.id(), s.name()))));
  }
}
