package dev.berth.ingress.internal;

import dev.berth.ingress.ConnectionLimits;
import dev.berth.ingress.IngressServer;
import dev.berth.ingress.IngressSettings;
import dev.berth.ingress.IngressTls;
import dev.berth.ingress.IngressWiring;
import dev.berth.ingress.RouteTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The ingress' Netty side: one event loop per core (native epoll where it loads, else NIO), the
 * listeners bound on them, and what each accepted connection's pipeline holds — the {@link
 * ConnectionGuard}'s count, TLS when the listener has it (then HTTP/2 or HTTP/1.1, as the client
 * chooses in ALPN: {@link Protocols}), the HTTP/1.1 codec within the head-size limit and a {@link
 * Frontend}, or an {@link Http2Connection} with a {@link Frontend} per stream. Thread-safe.
 */
public final class IngressChannels {

  /** Connections the kernel queues before they are accepted (Java's default of 50 overflows). */
  private static final int ACCEPT_QUEUE = 1024;

  private final ConnectionLimits limits;
  private final List<Channel> listening = new CopyOnWriteArrayList<>();
  private volatile Router router; // null until started: listeners bound, not accepting
  private final ConnectionGuard guard;
  private final EventLoopGroup loops;
  private final Class<? extends ServerChannel> serverType;
  private final Upstreams upstreams;

  public IngressChannels(ConnectionLimits limits) {
    this.limits = limits;
    this.guard = new ConnectionGuard(limits);
    int cores = Runtime.getRuntime().availableProcessors();
    DefaultThreadFactory threads = new DefaultThreadFactory("berth-ingress", true);
    if (Epoll.isAvailable()) {
      loops = new EpollEventLoopGroup(cores, threads);
      serverType = EpollServerSocketChannel.class;
      upstreams = new Upstreams(EpollSocketChannel.class);
    } else {
      loops = new NioEventLoopGroup(cores, threads);
      serverType = NioServerSocketChannel.class;
      upstreams = new Upstreams(NioSocketChannel.class);
    }
  }

  /** Starts routing over {@code routes}: every listener, bound before or after, accepts. */
  public synchronized void start(
      RouteTable routes, IngressSettings settings, IngressWiring wiring) {
    if (router != null) {
      throw new IllegalStateException("the ingress has started already");
    }
    router = new Router(routes, settings, wiring);
    listening.forEach(channel -> channel.config().setAutoRead(true));
  }

  public synchronized IngressServer.Listener listen(String host, int port, Optional<IngressTls> tls)
      throws IOException {
    // The client's hello names the host; the handler then becomes that context's TLS handler.
    Optional<Mapping<String, SslContext>> byName = tls.map(t -> t::contextFor);
    Channel bound;
    try {
      bound =
          new ServerBootstrap()
              .group(loops)
              .channel(serverType)
              .option(ChannelOption.SO_BACKLOG, ACCEPT_QUEUE)
              .option(ChannelOption.SO_REUSEADDR, true)
              // A server channel that does not read does not accept: bound until started.
              .option(ChannelOption.AUTO_READ, router != null)
              .childOption(ChannelOption.TCP_NODELAY, true)
              // A client may end its side once its requests are sent (HTTP/1.0 style): they are
              // still answered, then the connection closes (Frontend).
              .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      if (!guard.admit(ch)) {
                        return;
                      }
                      ChannelPipeline pipeline = ch.pipeline();
                      // The handshake and the first request's head, together, from the accept.
                      long headBy = System.nanoTime() + limits.requestHeaderTimeout().toNanos();
                      if (byName.isEmpty()) {
                        // h2c by prior knowledge, or HTTP/1.1: the first bytes say which.
                        pipeline.addLast(new Preface(ctx -> cleartextHttp2(ctx, headBy)));
                        http11(pipeline, false, headBy);
                        return;
                      }
                      pipeline.addLast(
                          new SniHandler(byName.get()),
                          new Protocols(
                              headBy,
                              ctx -> http11(ctx.pipeline(), true, headBy),
                              ctx -> http2(ctx.pipeline(), true, headBy)));
                    }
                  })
              .bind(host, port)
              .sync()
              .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + host + ":" + port, e);
    } catch (Exception e) {
      // Netty rethrows the bind's IOException unchecked (sneaky): say which address failed.
      throw new IOException("cannot bind " + host + ":" + port + ": " + e.getMessage(), e);
    }
    listening.add(bound);
    bound.closeFuture().addListener(closed -> listening.remove(bound));
    int boundPort = ((InetSocketAddress) bound.localAddress()).getPort();
    return new IngressServer.Listener() {
      @Override
      public int port() {
        return boundPort;
      }

      @Override
      public void close() {
        bound.close().syncUninterruptibly();
      }
    };
  }

  private void http11(ChannelPipeline pipeline, boolean secure, long headBy) {
    int head = limits.maxRequestHeaderBytes();
    pipeline.addLast(new HttpRequestDecoder(head, head, 16 * 1024), new ResponseEncoder());
    pipeline.addLast(Frontend.connection(router, upstreams, limits, secure, headBy));
  }

  /** Replaces the HTTP/1.1 handlers after {@code preface} with HTTP/2's. */
  private void cleartextHttp2(ChannelHandlerContext preface, long headBy) {
    ChannelPipeline pipeline = preface.pipeline();
    pipeline.remove(HttpRequestDecoder.class);
    pipeline.remove(ResponseEncoder.class);
    pipeline.remove(Frontend.class);
    http2(pipeline, false, headBy);
  }

  private void http2(ChannelPipeline pipeline, boolean secure, long headBy) {
    Http2Connection.install(
        pipeline,
        limits,
        guard,
        (streams, caller) -> Frontend.stream(router, upstreams, limits, secure, streams, caller),
        Frontend.checkEvery(limits, router.settings().requestTimeout()),
        headBy);
  }

  public void close() {
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
