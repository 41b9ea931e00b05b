package dev.berth.ingress.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The replica's answers as {@link AnswerDecoder} reads them: the usual ones as their bytes, every
 * other one through Netty's decoder, and a connection that goes on correctly after either.
 */
class AnswerDecoderTest {

  private static final String PLAIN =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n";

  private final AnswerDecoder decoder = new AnswerDecoder();
  private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void anAnswerFramedByItsLengthComesOutAsItsHeadsBytesThenItsBody() {
    decoder.expect(false, true);
    List<Object> read = feed(PLAIN + "hello");

    assertThat(read).hasSize(2);
    RelayedHead head = (RelayedHead) read.get(0);
    assertThat(head.status).isEqualTo(200);
    assertThat(head.contentLength).isEqualTo(5);
    assertThat(text(head.content())).isEqualTo(PLAIN);
    assertThat(read.get(1)).isInstanceOf(LastHttpContent.class);
    assertThat(text(((HttpContent) read.get(1)).content())).isEqualTo("hello");
    release(read);
  }

  @Test
  void anAnswerArrivingOneByteAtATimeComesOutTheSame() {
    decoder.expect(false, true);
    List<Object> read = new ArrayList<>();
    for (byte b : (PLAIN + "hello").getBytes(StandardCharsets.ISO_8859_1)) {
      read.addAll(feed(Unpooled.wrappedBuffer(new byte[] {b})));
    }

    assertThat(read.getFirst()).isInstanceOf(RelayedHead.class);
    assertThat(text(((RelayedHead) read.getFirst()).content())).isEqualTo(PLAIN);
    StringBuilder body = new StringBuilder();
    for (Object part : read.subList(1, read.size())) {
      body.append(text(((HttpContent) part).content()));
    }
    assertThat(body).hasToString("hello");
    assertThat(read.getLast()).isInstanceOf(LastHttpContent.class);
    assertThat(read.subList(1, read.size() - 1))
        .allMatch(part -> !(part instanceof LastHttpContent));
    release(read);
  }

  @Test
  void nginxsKeepAliveHeaderAndAnEmptyBodyAreRelayedToo() {
    decoder.expect(false, true);
    String head =
        "HTTP/1.1 404 Not Found\r\nServer: x\r\nConnection: Keep-Alive \r\nContent-Length: 0\r\n\r\n";
    List<Object> read = feed(head);

    assertThat(read).hasSize(2);
    assertThat(((RelayedHead) read.get(0)).status).isEqualTo(404);
    assertThat(text(((RelayedHead) read.get(0)).content())).isEqualTo(head);
    assertThat(read.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    release(read);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive, x-secret\r\nx-secret: 1\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nKeep-Alive: timeout=5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nUpgrade: h2c\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTrailer: x\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nProxy-Authenticate: Basic\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello",
        "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Folded: a\r\n b\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Odd: a\u0001b\r\n\r\nhello",
        "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello",
      })
  void anyOtherAnswerGoesThroughNettysDecoder(String answer) {
    decoder.expect(false, true);
    List<Object> read = feed(answer);
    channel.finish(); // an answer ended by closing ends here
    read.addAll(drain());

    assertThat(read.getFirst()).isInstanceOf(HttpResponse.class).isNotInstanceOf(RelayedHead.class);
    assertThat(read).noneMatch(RelayedHead.class::isInstance);
    release(read);
  }

  @ParameterizedTest
  @ValueSource(strings = {"204 No Content", "304 Not Modified"})
  void bodilessStatusesGoThroughNettysDecoderWhichReadsNoBody(String status) {
    decoder.expect(false, true);
    List<Object> read =
        feed("HTTP/1.1 " + status + "\r\nContent-Length: 5\r\n\r\n" + PLAIN + "hello");

    assertThat(read.get(0)).isInstanceOf(HttpResponse.class);
    assertThat(read.get(1)).isInstanceOf(LastHttpContent.class);
    assertThat(read.get(2)).isInstanceOf(RelayedHead.class); // the next answer, whole
    release(read);
  }

  @Test
  void theAnswerToAHeadRequestHasNoBodyWhateverItsLengthSays() {
    decoder.expect(true, true);
    List<Object> read = feed(PLAIN);

    assertThat(read.get(0)).isInstanceOf(HttpResponse.class).isNotInstanceOf(RelayedHead.class);
    assertThat(((HttpResponse) read.get(0)).headers().get("Content-Length")).isEqualTo("5");
    assertThat(read.get(1)).isInstanceOf(LastHttpContent.class);
    release(read);

    decoder.expect(false, true); // the connection's next answer is read from its own first byte
    read = feed(PLAIN + "hello");
    assertThat(read.get(0)).isInstanceOf(RelayedHead.class);
    assertThat(text(((HttpContent) read.get(1)).content())).isEqualTo("hello");
    release(read);
  }

  @Test
  void anExchangeThatMustChangeItsAnswerGetsNettysObjects() {
    decoder.expect(false, false);
    List<Object> read = feed(PLAIN + "hello");

    assertThat(read.get(0)).isInstanceOf(HttpResponse.class).isNotInstanceOf(RelayedHead.class);
    release(read);
  }

  @Test
  void anInterimAnswerGoesThroughNettysDecoderAndTheFinalOneIsRelayed() {
    decoder.expect(false, true);
    List<Object> read = feed("HTTP/1.1 100 Continue\r\n\r\n" + PLAIN + "hello");

    assertThat(((HttpResponse) read.get(0)).status().code()).isEqualTo(100);
    assertThat(read.get(1)).isInstanceOf(LastHttpContent.class);
    assertThat(read.get(2)).isInstanceOf(RelayedHead.class);
    assertThat(text(((HttpContent) read.get(3)).content())).isEqualTo("hello");
    release(read);
  }

  @Test
  void afterAnAnswerNettyReadTheNextOneIsRelayedAgain() {
    decoder.expect(false, true);
    String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    List<Object> read = feed(chunked + PLAIN + "hello");

    assertThat(read.getFirst()).isNotInstanceOf(RelayedHead.class);
    assertThat(read).filteredOn(RelayedHead.class::isInstance).hasSize(1);
    assertThat(read.getLast()).isInstanceOf(LastHttpContent.class);
    release(read);
  }

  @Test
  void aHeadLongerThanNettyAllowsIsRefusedAsNettyRefusesIt() {
    decoder.expect(false, true);
    List<Object> read =
        feed("HTTP/1.1 200 OK\r\nX-Long: " + "x".repeat(20_000) + "\r\nContent-Length: 0\r\n\r\n");

    assertThat(read.getFirst()).isInstanceOf(HttpResponse.class);
    assertThat(((HttpResponse) read.getFirst()).decoderResult().isFailure()).isTrue();
    release(read);
  }

  private List<Object> feed(String text) {
    return feed(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  private List<Object> feed(ByteBuf bytes) {
    channel.writeInbound(bytes);
    return drain();
  }

  private List<Object> drain() {
    List<Object> read = new ArrayList<>();
    Object message;
    while ((message = channel.readInbound()) != null) {
      read.add(message);
    }
    return read;
  }

  private static String text(ByteBuf bytes) {
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static void release(List<Object> read) {
    read.forEach(ReferenceCountUtil::release);
  }
}
