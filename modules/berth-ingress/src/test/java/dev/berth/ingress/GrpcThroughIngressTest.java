package dev.berth.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.TestCa;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC as a user's client and app speak it (grpc-java on both sides): the client calls the app's
 * HTTPS host over HTTP/2, the ingress carries each call to the app's replica over h2c when the
 * app's {@code transport} is {@code http2} — unary calls, a server stream, a status in the
 * trailers, and a status with no message at all (gRPC's "trailers-only" answer). With {@code auto}
 * the call fails, as it does in Container Apps, which asks for {@code http2} for gRPC.
 */
class GrpcThroughIngressTest {

  private static final MethodDescriptor.Marshaller<String> TEXT =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> ECHO = method("Echo", true);
  private static final MethodDescriptor<String, String> COUNT = method("Count", false);
  private static final MethodDescriptor<String, String> MISSING = method("Missing", true);

  private Server app;
  private IngressServer ingress;
  private IngressServer.Listener listener;
  private final InMemoryRouteTable routes = new InMemoryRouteTable();
  private ManagedChannel channel;

  private static MethodDescriptor<String, String> method(String name, boolean unary) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(
            unary
                ? MethodDescriptor.MethodType.UNARY
                : MethodDescriptor.MethodType.SERVER_STREAMING)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("berth.Test", name))
        .setRequestMarshaller(TEXT)
        .setResponseMarshaller(TEXT)
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("berth.Test")
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (request, answer) -> {
                      answer.onNext("echo " + request);
                      answer.onCompleted();
                    }))
            .addMethod(
                COUNT,
                ServerCalls.asyncServerStreamingCall(
                    (request, answer) -> {
                      for (int i = 1; i <= Integer.parseInt(request); i++) {
                        answer.onNext(Integer.toString(i));
                      }
                      answer.onCompleted();
                    }))
            .addMethod(
                MISSING,
                ServerCalls.asyncUnaryCall(
                    (request, answer) ->
                        answer.onError(
                            Status.NOT_FOUND
                                .withDescription("no such thing: " + request)
                                .asRuntimeException())))
            .build();
    // The app: plaintext gRPC, which is h2c by prior knowledge, on loopback.
    app =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start();
    ingress = new IngressServer(ConnectionLimits.lenient());
    listener =
        ingress.listen("127.0.0.1", 0, Optional.of(IngressTls.jdk(IngressFixture.serverContext())));
    ingress.start(routes, IngressSettings.defaults(), IngressWiring.none());
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", listener.port())
            .overrideAuthority("localhost")
            .sslContext(
                GrpcSslContexts.forClient().trustManager(TestCa.get().trustManagers()).build())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    listener.close();
    ingress.close();
    app.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private void transport(boolean http2) {
    routes.put(
        "localhost",
        AppRoute.serving("grpc", true, List.of(new Backend("127.0.0.1", app.getPort())))
            .withPolicy(
                new IngressPolicy(false, List.of(), false, false, Optional.empty(), http2)));
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void aUnaryCallReachesAnHttp2AppAndItsAnswerComesBack() {
    transport(true);

    assertThat(ClientCalls.blockingUnaryCall(channel, ECHO, deadline(), "hello"))
        .isEqualTo("echo hello");
    // Again, on the same connection: another stream.
    assertThat(ClientCalls.blockingUnaryCall(channel, ECHO, deadline(), "again"))
        .isEqualTo("echo again");
  }

  @Test
  void aServerStreamArrivesWholeAndInOrder() {
    transport(true);
    List<String> got = new ArrayList<>();

    ClientCalls.blockingServerStreamingCall(channel, COUNT, deadline(), "1000")
        .forEachRemaining(got::add);

    assertThat(got).hasSize(1000).startsWith("1", "2", "3").endsWith("1000");
  }

  @Test
  void theAppsStatusReachesTheClientEvenWithNoMessage() {
    transport(true);

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, MISSING, deadline(), "x"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("no such thing: x");
            });
  }

  @Test
  void aPlaintextClientReachesAnAppThatAllowsInsecureTraffic() throws Exception {
    transport(true); // the route allows insecure traffic
    try (IngressServer.Listener plain = ingress.listen("127.0.0.1", 0, Optional.empty())) {
      ManagedChannel clear =
          NettyChannelBuilder.forAddress("127.0.0.1", plain.port())
              .overrideAuthority("localhost")
              .usePlaintext()
              .build();
      try {
        assertThat(ClientCalls.blockingUnaryCall(clear, ECHO, deadline(), "in clear"))
            .isEqualTo("echo in clear");
      } finally {
        clear.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void withTransportAutoTheCallFailsAsContainerAppsDoes() {
    transport(false);

    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, ECHO, deadline(), "hello"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
