package dev.berth.registry.distribution.internal;

/** Serves one route of the registry API; runs on a virtual thread and may block. */
@FunctionalInterface
public interface CallHandler {
  void handle(Call call) throws Exception;
}
