import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Backend;
import dev.berth.ingress.InMemoryRouteTable;
import dev.berth.ingress.RequestLoad;
import dev.berth.ingress.RouteTable;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * bench/ingress: a PROTOTYPE of Berth's ingress data path on Netty, to measure against Jetty's
 * proxy and nginx (docs/benchmarks.md, "Ingress"). HTTP/1.1 with keep-alive on 127.0.0.1:PORT,
 * routing by Host through Berth's {@link RouteTable} (an {@link InMemoryRouteTable} sending HOST to
 * 127.0.0.1:BACKEND_PORT), bodies streamed message by message both ways (no aggregation), hop-by-hop
 * headers dropped, X-Forwarded-For/-Proto/-Host and X-Request-Id added, and a pool of keep-alive
 * upstream connections per event loop and backend: a request borrows an idle connection on its own
 * client connection's event loop (no hand-off between threads), or opens one, and gives it back
 * after the response's last byte. Requests are counted in Berth's RequestLoad as HostRouter counts
 * them; the rest of the production chain (activator, draining, retries, policy, CORS, sticky
 * sessions, WebSockets, h2c, TLS, metrics, timeouts, limits) is not here. Prints "ready" and runs until killed.
 *
 * <p>Usage: NettyIngressServer PORT HOST BACKEND_PORT [EVENT_LOOPS (default: the cores)]
 */
public final class NettyIngressServer {

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String host = args[1];
    int backendPort = Integer.parseInt(args[2]);
    int loops = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    InMemoryRouteTable routes = new InMemoryRouteTable();
    routes.put(
        host, AppRoute.serving("bench", "bench--1", true, List.of(new Backend("127.0.0.1", backendPort))));

    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(loops) : new NioEventLoopGroup(loops);
    Class<? extends ServerChannel> serverChannel =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends Channel> clientChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    Upstreams upstreams = new Upstreams(clientChannel);
    RequestLoad load = new RequestLoad(); // counted as Jetty's HostRouter counts (autoscaler, drain)
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(serverChannel)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new Frontend(routes, upstreams, load));
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    System.out.println("ready (" + (epoll ? "epoll" : "nio") + ", " + loops + " event loops)");
    server.closeFuture().sync();
  }

  /** Headers that describe one hop, not the message (RFC 9110 §7.6.1); Transfer-Encoding stays:
   * the codec frames the streamed body by it again on the next hop. */
  static final List<CharSequence> HOP_BY_HOP =
      List.of(
          HttpHeaderNames.CONNECTION,
          "Keep-Alive",
          HttpHeaderNames.PROXY_AUTHENTICATE,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.UPGRADE);

  static void dropHopByHop(HttpHeaders headers) {
    for (String named : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : named.split(",")) {
        headers.remove(token.trim());
      }
    }
    for (CharSequence name : HOP_BY_HOP) {
      headers.remove(name);
    }
  }

  /** A random version-4 UUID, as berth-ingress's ForwardedHeaders draws it. */
  static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /**
   * One client connection: routes each request, sends it to a pooled upstream connection and
   * relays the answer. One request at a time; a pipelined one waits in {@code queued}. Confined to
   * the connection's event loop.
   */
  static final class Frontend extends ChannelInboundHandlerAdapter {
    private final RouteTable routes;
    private final Upstreams upstreams;
    private final RequestLoad load;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Upstream current; // the upstream serving the request in flight, or null
    private boolean busy; // a request is in flight (its answer not yet fully written)
    private boolean discarding; // the body of a request answered here (404, 400)
    private boolean keepAlive = true;
    private int next; // round robin over the route's backends
    private String revision; // the in-flight request's revision and replica, as counted in load
    private Backend claimed;

    Frontend(RouteTable routes, Upstreams upstreams, RequestLoad load) {
      this.routes = routes;
      this.upstreams = upstreams;
      this.load = load;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (busy && (msg instanceof HttpRequest || !queued.isEmpty())) {
        queued.add(msg); // pipelined: answered in order, after the one in flight
        return;
      }
      dispatch(msg);
    }

    private void dispatch(Object msg) {
      if (msg instanceof HttpRequest request) {
        begin(request);
      }
      if (msg instanceof HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (discarding || current == null) {
          content.release();
          discarding &= !last;
        } else {
          current.send(content);
        }
      }
    }

    private void begin(HttpRequest request) {
      busy = true;
      keepAlive = HttpUtil.isKeepAlive(request);
      if (request.decoderResult().isFailure()) {
        keepAlive = false;
        reply(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        return;
      }
      String authority = request.headers().get(HttpHeaderNames.HOST, "");
      int colon = authority.lastIndexOf(':');
      String host =
          (colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority)
              .toLowerCase(Locale.ROOT);
      Optional<AppRoute> route = routes.route(host);
      if (route.isEmpty() || route.get().backends().isEmpty()) {
        reply(HttpResponseStatus.NOT_FOUND, "no app is named " + host + "\n");
        return;
      }
      List<Backend> backends = route.get().backends();
      Backend backend = backends.get(Math.floorMod(next++, backends.size()));
      // The production path's bookkeeping: in flight per revision, claimed per replica (a
      // draining replica would be skipped; this prototype has no draining).
      revision = route.get().revision();
      load.started(revision);
      load.claim(backend.host());
      claimed = backend;
      HttpHeaders headers = request.headers();
      dropHopByHop(headers);
      String peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
      List<String> prior = headers.getAll("X-Forwarded-For");
      headers.set("X-Forwarded-For", prior.isEmpty() ? peer : String.join(", ", prior) + ", " + peer);
      headers.set("X-Forwarded-Proto", "http");
      headers.set("X-Forwarded-Host", authority);
      headers.set("X-Request-Id", requestId());
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
      current = upstreams.acquire(ctx.channel().eventLoop(), backend, this);
      current.send(request);
    }

    /** An answer from the edge itself; the request's body, if any, is read and dropped. */
    private void reply(HttpResponseStatus status, String body) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      HttpUtil.setContentLength(response, response.content().readableBytes());
      discarding = true;
      respond(response);
      finished();
    }

    /** The upstream's response head: hop-by-hop headers dropped, keep-alive as this client asked. */
    void respond(HttpResponse response) {
      dropHopByHop(response.headers());
      if (!HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)
          && !(response instanceof FullHttpResponse)) {
        HttpUtil.setTransferEncodingChunked(response, true); // upstream ends by closing: re-frame
      }
      if (!keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      ctx.write(response);
    }

    void relay(HttpContent content) {
      ctx.write(content);
    }

    /** The answer's last byte was written: close, or take the next (queued) request. */
    void finished() {
      current = null;
      busy = false;
      uncount();
      if (!keepAlive) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.flush();
      // The next request, and its body (which must reach the replica for it to answer).
      while (!queued.isEmpty() && !(busy && queued.peek() instanceof HttpRequest)) {
        dispatch(queued.poll());
      }
    }

    /** The upstream failed: 502 if nothing was sent yet, else the client connection closes. */
    void failed(boolean responded) {
      current = null;
      if (!responded) {
        keepAlive = false;
        reply(HttpResponseStatus.BAD_GATEWAY, "the app's replica did not answer\n");
      } else {
        ctx.close();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      // One flush per read: a request's head and its end usually arrive together.
      if (current != null) {
        current.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // Backpressure: a slow client stops the replica's connection from being read.
      if (current != null) {
        current.channel.config().setAutoRead(ctx.channel().isWritable());
      }
      ctx.fireChannelWritabilityChanged();
    }

    private void uncount() {
      if (claimed != null) {
        load.release(claimed.host());
        load.ended(revision);
        claimed = null;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      uncount();
      if (current != null) {
        current.abandon(); // the client left mid-exchange: the upstream connection is not reusable
      }
      queued.forEach(ReferenceCountUtil::release);
      queued.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /**
   * One keep-alive connection to a replica, serving one request at a time for a {@link Frontend}.
   * Messages sent before the connection is up wait in {@code pending}. Confined to its event loop.
   */
  static final class Upstream extends ChannelInboundHandlerAdapter {
    final Channel channel;
    private final Upstreams pool;
    private final Backend backend;
    private List<Object> pending; // non-null while connecting
    private Frontend front;
    private boolean responded;
    private boolean reusable;
    private boolean interim; // inside a 100 Continue

    Upstream(Channel channel, Upstreams pool, Backend backend) {
      this.channel = channel;
      this.pool = pool;
      this.backend = backend;
    }

    void begin(Frontend front) {
      this.front = front;
      responded = false;
      reusable = false;
      if (!channel.config().isAutoRead()) {
        channel.config().setAutoRead(true);
      }
    }

    void send(Object message) {
      if (pending != null) {
        pending.add(message);
      } else {
        channel.write(message, channel.voidPromise());
      }
    }

    void flush() {
      if (pending == null) {
        channel.flush();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      // What this read relayed goes out in one write; the answer's end was flushed already.
      if (front != null) {
        front.ctx.flush();
      }
    }

    void connected(ChannelFuture connect) {
      List<Object> waiting = pending;
      pending = null;
      if (!connect.isSuccess()) {
        waiting.forEach(ReferenceCountUtil::release);
        if (front != null) {
          Frontend f = front;
          front = null;
          f.failed(false);
        }
        return;
      }
      for (Object message : waiting) {
        channel.write(message, channel.voidPromise());
      }
      channel.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (front == null) {
        ReferenceCountUtil.release(msg); // nothing asked: a stray byte from the replica
        return;
      }
      if (msg instanceof HttpResponse response) {
        if (response.status().code() == 100) {
          interim = true; // the codec follows it with an empty last content: not the answer's end
          front.ctx.writeAndFlush(
              new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
          return;
        }
        responded = true;
        reusable = HttpUtil.isKeepAlive(response);
        front.respond(response);
      }
      if (msg instanceof HttpContent content && interim) {
        content.release();
        interim = !(content instanceof LastHttpContent);
      } else if (msg instanceof HttpContent content) {
        front.relay(content);
        if (content instanceof LastHttpContent) {
          Frontend f = front;
          front = null;
          if (reusable && channel.isActive()) {
            pool.release(channel.eventLoop(), backend, this);
          } else {
            channel.close();
          }
          f.finished();
        }
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (front != null) {
        front.ctx.channel().config().setAutoRead(channel.isWritable());
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      pool.forget(channel.eventLoop(), backend, this);
      if (front != null) {
        Frontend f = front;
        front = null;
        f.failed(responded);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    void abandon() {
      front = null;
      channel.close();
    }
  }

  /**
   * Idle keep-alive connections per event loop and backend. Each event loop has its own map, read
   * and written only on that loop's thread, so no lock is taken on the request path.
   */
  static final class Upstreams {
    private final Class<? extends Channel> channelType;
    private final FastThreadLocal<Map<Backend, ArrayDeque<Upstream>>> idle =
        new FastThreadLocal<>() {
          @Override
          protected Map<Backend, ArrayDeque<Upstream>> initialValue() {
            return new HashMap<>();
          }
        };

    Upstreams(Class<? extends Channel> channelType) {
      this.channelType = channelType;
    }

    Upstream acquire(EventLoop loop, Backend backend, Frontend front) {
      ArrayDeque<Upstream> free = idle.get().get(backend);
      Upstream up;
      while (free != null && (up = free.pollLast()) != null) {
        if (up.channel.isActive()) {
          up.begin(front);
          return up;
        }
      }
      Bootstrap bootstrap =
          new Bootstrap()
              .group(loop)
              .channel(channelType)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(new HttpClientCodec());
      ChannelFuture connect = bootstrap.connect(backend.host(), backend.port());
      Upstream fresh = new Upstream(connect.channel(), this, backend);
      connect.channel().pipeline().addLast(fresh);
      fresh.pending = new ArrayList<>(4);
      fresh.begin(front);
      connect.addListener((ChannelFutureListener) fresh::connected);
      return fresh;
    }

    void release(EventLoop loop, Backend backend, Upstream up) {
      idle.get().computeIfAbsent(backend, b -> new ArrayDeque<>()).addLast(up);
    }

    void forget(EventLoop loop, Backend backend, Upstream up) {
      ArrayDeque<Upstream> free = idle.get().get(backend);
      if (free != null) {
        free.remove(up);
      }
    }
  }
}
