package dev.berth.ingress.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection after a WebSocket handshake: copies bytes from the client to the replica's
 * socket (as Jetty reads them) and from the replica to the client (on a virtual thread of its own,
 * blocking), without looking at the frames. When the replica closes, the client's connection
 * closes; when the client closes, the replica's socket is half-closed so the replica sees the end
 * and closes in turn; the client connection's idle timeout (the request timeout) ends a silent
 * tunnel. Thread-safe.
 */
final class TunnelConnection extends AbstractConnection implements Connection.UpgradeTo {

  private static final Logger LOG = LoggerFactory.getLogger(TunnelConnection.class);
  private static final int CHUNK = 16 * 1024;

  private final Socket replica;
  private final OutputStream toReplica;
  private final ByteBuffer fromReplicaFirst;
  private final ByteBuffer buffer = BufferUtil.allocate(CHUNK);
  private final AtomicBoolean closed = new AtomicBoolean();
  private ByteBuffer fromClientFirst = BufferUtil.EMPTY_BUFFER;

  TunnelConnection(
      EndPoint client,
      Executor executor,
      Socket replica,
      ByteBuffer fromReplicaFirst,
      Duration idleTimeout)
      throws IOException {
    super(client, executor);
    this.replica = replica;
    this.toReplica = replica.getOutputStream();
    this.fromReplicaFirst = fromReplicaFirst;
    client.setIdleTimeout(idleTimeout.toMillis());
  }

  @Override
  public void onUpgradeTo(ByteBuffer buffered) {
    // Bytes the client sent right behind its handshake, already read by the HTTP connection.
    if (BufferUtil.hasContent(buffered)) {
      fromClientFirst = BufferUtil.copy(buffered);
    }
  }

  @Override
  public void onOpen() {
    super.onOpen();
    try {
      if (fromClientFirst.hasRemaining()) {
        write(fromClientFirst);
      }
    } catch (IOException e) {
      close();
      return;
    }
    Thread.ofVirtual().name("berth-ingress-websocket").start(this::replicaToClient);
    fillInterested();
  }

  @Override
  public void onFillable() {
    try {
      while (true) {
        BufferUtil.clear(buffer);
        int n = getEndPoint().fill(buffer);
        if (n > 0) {
          write(buffer);
        } else if (n == 0) {
          fillInterested();
          return;
        } else {
          // The client is done sending: tell the replica, which then closes its side.
          replica.shutdownOutput();
          return;
        }
      }
    } catch (IOException e) {
      LOG.debug("websocket tunnel: client to replica ended", e);
      close();
    }
  }

  private void write(ByteBuffer bytes) throws IOException {
    toReplica.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    toReplica.flush();
    bytes.position(bytes.limit());
  }

  private void replicaToClient() {
    try (InputStream in = replica.getInputStream()) {
      if (fromReplicaFirst.hasRemaining()) {
        send(fromReplicaFirst);
      }
      byte[] chunk = new byte[CHUNK];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        if (n > 0) {
          send(ByteBuffer.wrap(chunk, 0, n));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("websocket tunnel: replica to client ended", e);
    } finally {
      // The replica closed (or failed): the WebSocket is over for the client too.
      close();
    }
  }

  /** Writes to the client, blocking this virtual thread until the bytes are out. */
  private void send(ByteBuffer bytes) throws IOException {
    Callback.Completable written = new Callback.Completable();
    getEndPoint().write(written, bytes);
    try {
      written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("the client connection failed", e.getCause());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        replica.close();
      } catch (IOException ignored) {
        // Closing: nothing left to do with a failure.
      }
    }
    super.close();
  }

  @Override
  public void onClose(Throwable cause) {
    try {
      replica.close();
    } catch (IOException ignored) {
      // The client went first; the replica's socket goes with it.
    }
    super.onClose(cause);
  }
}
