package dev.berth.runtime.image.internal;

import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullException.Step;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.client.Request;

/**
 * One registry as one pull sees it: its base URL ({@code https://host}, or {@code http://host} for
 * an insecure registry) and the local address the pull connects from. Immutable.
 */
record RegistryEndpoint(RegistryTransport transport, URI base, Optional<InetAddress> source) {

  URI resolve(String path) {
    return base.resolve(path);
  }

  RegistryTransport.Answer send(Step step, String method, URI uri, Consumer<Request> build)
      throws PullException {
    return transport.send(source, step, method, uri, build);
  }
}
