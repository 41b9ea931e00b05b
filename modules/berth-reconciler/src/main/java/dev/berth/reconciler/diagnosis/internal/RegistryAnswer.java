package dev.berth.reconciler.diagnosis.internal;

import dev.berth.runtime.image.PullException;

/**
 * Says in a few words what the registry answered to which request of the pull, from the puller's
 * structured failure rather than its message. Stateless.
 */
public final class RegistryAnswer {

  private RegistryAnswer() {}

  /** {@code the registry answered UNAUTHORIZED (HTTP 401) to POST /oauth2/exchange}. */
  public static String describe(PullException e) {
    String request =
        switch (e.step()) {
          case PING -> "GET /v2/";
          case EXCHANGE -> "POST /oauth2/exchange";
          case TOKEN -> "the token request (/oauth2/token)";
          case MANIFEST -> "the manifest request";
          case BLOB -> "a blob request";
          case UNPACK -> "unpacking a layer";
        };
    if (e.status() == 0) {
      return e.reason() == PullException.Reason.UNREACHABLE
          ? "the registry was not reached (" + request + ")"
          : "the pull failed at " + request + " (" + e.reason() + ")";
    }
    String code = e.registryCode().orElse(e.reason().name());
    return "the registry answered " + code + " (HTTP " + e.status() + ") to " + request;
  }
}
