package dev.berth.controlplane.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmException;
import dev.berth.http.Json;

/** Writes ARM's error envelope {@code {"error":{code,message,target?,details?}}}. Thread-safe. */
public final class ErrorWriter {

  private ErrorWriter() {}

  /** The envelope of an exception, without headers. */
  public static ObjectNode envelope(ArmException e) {
    ObjectNode error = errorObject(e.code().name(), e.getMessage());
    if (e.target() != null) {
      error.put("target", e.target());
    }
    if (!e.details().isEmpty()) {
      var details = error.putArray("details");
      for (ArmException.Detail d : e.details()) {
        ObjectNode o = details.addObject().put("code", d.code()).put("message", d.message());
        if (d.target() != null) {
          o.put("target", d.target());
        }
      }
    }
    ObjectNode root = Json.object();
    root.set("error", error);
    return root;
  }

  public static ObjectNode errorObject(String code, String message) {
    return Json.object().put("code", code).put("message", message);
  }

  /** Sends the exception with its status and headers, unless a reply already went out. */
  public static void send(ArmCall call, ArmException e) {
    if (call.exchange().isSent()) {
      return;
    }
    e.headers().forEach(call::setHeader);
    if ("HEAD".equalsIgnoreCase(call.method())) {
      call.empty(e.status());
    } else {
      call.json(e.status(), envelope(e));
    }
  }
}
