package dev.berth.portal.internal;

import dev.berth.http.HttpExchange;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders the portal's jte templates, which the build compiled to classes (no template compiler at
 * run time), and sends them with the headers every page carries. Output is HTML-escaped by jte for
 * the context it lands in. Thread-safe.
 */
public final class Pages {

  /** The package the jte Maven plugin compiles the templates into (see the module's pom). */
  private static final String TEMPLATES = "dev.berth.portal.templates";

  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(null, ContentType.Html, null, TEMPLATES);

  /** Renders {@code template} (a path under src/main/jte) with {@code params}. */
  public byte[] render(String template, Map<String, Object> params) {
    Utf8ByteOutput out = new Utf8ByteOutput();
    engine.render(template, params, out);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.getContentLength());
    try {
      out.writeTo(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Sends a rendered page with {@code status}. */
  public void send(HttpExchange exchange, int status, String template, Map<String, Object> params) {
    byte[] body = render(template, params);
    securityHeaders(exchange);
    exchange.send(status, "text/html; charset=utf-8", body);
  }

  /**
   * The headers every portal answer carries: no framing (clickjacking), scripts and styles from the
   * portal only, no caching of pages that show a person's resources.
   */
  public static void securityHeaders(HttpExchange exchange) {
    exchange.setHeader(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    exchange.setHeader("X-Frame-Options", "DENY");
    exchange.setHeader("X-Content-Type-Options", "nosniff");
    exchange.setHeader("Referrer-Policy", "same-origin");
    exchange.setHeader("Cache-Control", "no-store");
  }
}
