package dev.berth.http;

/**
 * A request whose bytes break HTTP or URL encoding: a bad {@code %} escape in the path, query or a
 * form, a body shorter than its {@code Content-Length}, a broken chunked body. It is the client's
 * fault, so each API answers it with a 4xx in its own envelope and logs it at most at INFO, without
 * a stack trace. It extends {@link IllegalArgumentException} so that parsers documented to throw
 * that keep their contract. The message is safe to show the client. Immutable.
 */
public final class MalformedRequestException extends IllegalArgumentException {

  /** Which part of the request is malformed, so an API can pick its own error code. */
  public enum Part {
    PATH,
    QUERY,
    BODY
  }

  private final Part part;

  public MalformedRequestException(Part part, String message) {
    super(message);
    this.part = part;
  }

  public Part part() {
    return part;
  }

  /** No stack trace: these are expected, frequent, and never logged with one. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
