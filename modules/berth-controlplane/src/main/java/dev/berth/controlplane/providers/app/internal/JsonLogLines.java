package dev.berth.controlplane.providers.app.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Rewrites a console log, line by line, into Container Apps' {@code output=json} shape: {@code
 * {"TimeStamp":"…","Log":"…"}} a line. Berth's log files do not record when a line was written, so
 * {@code TimeStamp} is when the stream read it. A line longer than 64 KiB is cut into several
 * entries. Not thread-safe (one per stream).
 */
final class JsonLogLines extends OutputStream {

  private static final int MAX_LINE = 64 * 1024;

  private final OutputStream out;
  private final Clock clock;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  JsonLogLines(OutputStream out) {
    this(out, Clock.systemUTC());
  }

  JsonLogLines(OutputStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void write(int b) throws IOException {
    if (b == '\n') {
      emit();
      return;
    }
    line.write(b);
    if (line.size() >= MAX_LINE) {
      emit();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Writes what is left of an unfinished last line. */
  @Override
  public void close() throws IOException {
    if (line.size() > 0) {
      emit();
    }
    out.flush();
  }

  private void emit() throws IOException {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    ObjectNode entry = Json.object();
    entry.put("TimeStamp", clock.instant().toString()).put("Log", text);
    out.write((entry + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
