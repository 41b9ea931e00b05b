package dev.berth.reconciler;

import dev.berth.runtime.image.ImageConfig;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImageReference;
import dev.berth.runtime.image.PullException;
import dev.berth.runtime.image.PullListener;
import dev.berth.runtime.image.PulledImage;
import dev.berth.runtime.image.RegistryCredential;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A puller that records what it was asked and fails while told to. */
final class FakePuller implements ImagePuller {

  record Call(ImageReference image, RegistryCredential credential, Optional<InetAddress> from) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final List<Optional<InetAddress>> prepared = new CopyOnWriteArrayList<>();
  volatile PullException failure;

  @Override
  public PulledImage pull(
      ImageReference image,
      RegistryCredential credential,
      Optional<InetAddress> sourceAddress,
      PullListener listener)
      throws PullException {
    calls.add(new Call(image, credential, sourceAddress));
    if (credential instanceof RegistryCredential.ManagedIdentity mi) {
      var unused = mi.entraToken().get(); // as the real puller does, before the exchange
    }
    if (failure != null) {
      throw failure;
    }
    return new PulledImage(
        image,
        "sha256:" + "a".repeat(64),
        new ImageConfig(List.of(), List.of("httpd"), List.of(), "/", "", List.of()),
        List.of());
  }

  @Override
  public void prepare(Optional<InetAddress> sourceAddress) {
    prepared.add(sourceAddress);
  }

  @Override
  public void close() {}
}
