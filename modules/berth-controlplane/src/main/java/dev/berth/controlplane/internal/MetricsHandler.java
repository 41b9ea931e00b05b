package dev.berth.controlplane.internal;

import dev.berth.controlplane.MetricsSource;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the {@link MetricsSource}'s text, once the chain has authenticated the
 * caller and checked {@link MetricsSource#READ_ACTION}. Never cached by a proxy: it is per caller.
 * Thread-safe.
 */
public final class MetricsHandler {

  private final MetricsSource source;

  public MetricsHandler(MetricsSource source) {
    this.source = source;
  }

  public void get(ArmCall call) {
    call.setHeader("Cache-Control", "no-store");
    call.exchange()
        .send(200, MetricsSource.CONTENT_TYPE, source.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
