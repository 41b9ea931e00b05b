package dev.berth.ingress;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * What the ingress is connected to besides its routes: where it counts requests, whom it asks to
 * scale a revision up, how it tells a replica's request from an outside one, and who observes its
 * requests for metrics. A value; thread-safe.
 *
 * @param load where requests are counted, per revision and per replica (autoscaling, draining)
 * @param activations asked to scale up a revision whose requests find no ready replica
 * @param fromEnvironment whether a connection came in from the environment's replicas (to the
 *     listener on the environment's bridge): internal apps answer only those
 * @param observer told of every request for an app, and of cold starts
 */
public record IngressWiring(
    RequestLoad load,
    Activations activations,
    Predicate<Caller> fromEnvironment,
    IngressObserver observer) {

  public IngressWiring {
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(activations, "activations");
    Objects.requireNonNull(fromEnvironment, "fromEnvironment");
    Objects.requireNonNull(observer, "observer");
  }

  /** Nothing behind the ingress: no scaler, no environment network, no observer. */
  public static IngressWiring none() {
    return new IngressWiring(
        new RequestLoad(), Activations.NONE, caller -> false, IngressObserver.NONE);
  }

  public IngressWiring withScaling(RequestLoad newLoad, Activations newActivations) {
    return new IngressWiring(newLoad, newActivations, fromEnvironment, observer);
  }

  public IngressWiring withEnvironment(Predicate<Caller> newFromEnvironment) {
    return new IngressWiring(load, activations, newFromEnvironment, observer);
  }

  public IngressWiring withObserver(IngressObserver newObserver) {
    return new IngressWiring(load, activations, fromEnvironment, newObserver);
  }
}
