package dev.berth.controlplane.providers.app;

import dev.berth.api.ResourceId;
import dev.berth.controlplane.providers.app.internal.StreamTokens;
import java.net.URI;
import java.time.Clock;

/**
 * How clients such as {@code az containerapp logs show} reach the log streams outside ARM: the base
 * URL the streams are served on (Berth's own management endpoint, so the host resolves and its
 * certificate is trusted wherever ARM's is, with no DNS set-up) and the short-lived tokens {@code
 * getAuthToken} issues for them. Environments and apps must share one. Thread-safe.
 */
public final class LogStreamAccess {

  private final String base;
  private final StreamTokens tokens;

  private LogStreamAccess(String base, StreamTokens tokens) {
    this.base = base;
    this.tokens = tokens;
  }

  /**
   * @param base the scheme, host and port the streams are served on, such as {@code
   *     https://127.0.0.1:8443}
   */
  public static LogStreamAccess of(URI base, Clock clock) {
    String b = base.toString();
    return new LogStreamAccess(
        b.endsWith("/") ? b.substring(0, b.length() - 1) : b, StreamTokens.random(clock));
  }

  /** The tokens, issued by {@code getAuthToken} and checked by the stream routes. */
  public StreamTokens tokens() {
    return tokens;
  }

  /**
   * A resource's {@code eventStreamEndpoint}: {@code
   * {base}/subscriptions/{sub}/resourceGroups/{rg}/{containerApps|managedEnvironments}/{name}/eventstream},
   * Container Apps' shape (az keeps what precedes {@code /subscriptions/} and builds the log-stream
   * URLs on it).
   */
  public String eventStreamEndpoint(ResourceId resource) {
    String type = resource.type();
    return base
        + "/subscriptions/"
        + resource.subscriptionId().orElseThrow()
        + "/resourceGroups/"
        + resource.resourceGroupName().orElseThrow()
        + "/"
        + type.substring(type.lastIndexOf('/') + 1)
        + "/"
        + resource.name()
        + "/eventstream";
  }
}
