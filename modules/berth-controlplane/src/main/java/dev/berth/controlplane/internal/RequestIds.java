package dev.berth.controlplane.internal;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Gives every response ARM's tracing headers: a fresh {@code x-ms-request-id}, the caller's {@code
 * x-ms-client-request-id} echoed, {@code x-ms-correlation-request-id} echoed or generated, and
 * {@code Date}. Runs first so that error replies carry them too. Thread-safe.
 */
public final class RequestIds implements Step {

  private final Clock clock;

  public RequestIds(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void apply(ArmCall call) {
    String requestId = UUID.randomUUID().toString();
    call.requestId(requestId);
    call.setHeader("x-ms-request-id", requestId);
    call.header("x-ms-client-request-id")
        .ifPresent(v -> call.setHeader("x-ms-client-request-id", v));
    call.setHeader(
        "x-ms-correlation-request-id",
        call.header("x-ms-correlation-request-id").orElse(requestId));
    call.setHeader(
        "Date",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC)));
  }
}
