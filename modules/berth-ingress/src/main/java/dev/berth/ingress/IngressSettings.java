package dev.berth.ingress;

import java.time.Duration;

/**
 * How the ingress behaves where Container Apps fixes a number: the request timeout, the HTTPS port
 * plain HTTP redirects to, and how many requests the activator holds per revision. A value;
 * thread-safe.
 *
 * @param requestTimeout how long one request may take, from sending it to a replica to the end of
 *     its response (Container Apps: 240 s); past it the client gets 504, or its stream is cut
 * @param httpsPort the port {@code allowInsecure: false} redirects plain HTTP to (443: none named)
 * @param maxWaitingPerRevision requests the activator holds for one revision with no ready replica
 *     (each for at most {@code requestTimeout}); more get 503 with {@code Retry-After}
 */
public record IngressSettings(Duration requestTimeout, int httpsPort, int maxWaitingPerRevision) {

  /** Container Apps' request timeout. */
  public static final Duration ACA_REQUEST_TIMEOUT = Duration.ofSeconds(240);

  public IngressSettings {
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive: " + requestTimeout);
    }
    if (httpsPort < 1 || httpsPort > 65_535) {
      throw new IllegalArgumentException("the HTTPS port is 1-65535, not " + httpsPort);
    }
    if (maxWaitingPerRevision < 1) {
      throw new IllegalArgumentException("the activator must hold at least one request");
    }
  }

  /**
   * Container Apps' numbers: 240 s and port 443; the activator holds up to 1 000 requests per
   * revision (Knative's activator queues 10 000 over all revisions).
   */
  public static IngressSettings defaults() {
    return new IngressSettings(ACA_REQUEST_TIMEOUT, 443, 1_000);
  }

  public IngressSettings withRequestTimeout(Duration timeout) {
    return new IngressSettings(timeout, httpsPort, maxWaitingPerRevision);
  }

  public IngressSettings withHttpsPort(int port) {
    return new IngressSettings(requestTimeout, port, maxWaitingPerRevision);
  }

  public IngressSettings withMaxWaitingPerRevision(int max) {
    return new IngressSettings(requestTimeout, httpsPort, max);
  }
}
