package dev.berth.ingress.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The deadline checks of an HTTP/2 connection's streams, run by the connection's one repeating
 * check ({@link Http2Connection}): a stream lives for one request, and a timer of its own would be
 * set and cancelled per request. Used on the connection's event loop only.
 */
final class StreamClock {

  private static final Frontend[] NONE = new Frontend[0];
  private final List<Frontend> live = new ArrayList<>();

  /** {@code stream} is checked from now on. */
  void add(Frontend stream) {
    live.add(stream);
  }

  /** {@code stream} is done; a second call changes nothing. */
  void remove(Frontend stream) {
    live.remove(stream);
  }

  /** Checks every live stream's deadlines; a stream may close (and leave) meanwhile. */
  void tick() {
    for (Frontend f : live.toArray(NONE)) {
      f.tick();
    }
  }
}
