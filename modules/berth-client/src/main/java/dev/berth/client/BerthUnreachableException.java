package dev.berth.client;

import java.net.URI;

/** No connection could be made to a Berth endpoint (refused, unknown host). Immutable. */
public final class BerthUnreachableException extends RuntimeException {

  private final URI endpoint;

  public BerthUnreachableException(URI endpoint, Throwable cause) {
    super("cannot connect to " + endpoint, cause);
    this.endpoint = endpoint;
  }

  /** Scheme, host and port of the endpoint that did not answer. */
  public URI endpoint() {
    return endpoint;
  }
}
