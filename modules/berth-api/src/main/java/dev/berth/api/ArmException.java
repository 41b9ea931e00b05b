package dev.berth.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request that ARM answers with its {@code {"error":{code,message,target,details}}} envelope. The
 * HTTP status comes from the {@link ArmErrorCode}; extra response headers (such as {@code
 * WWW-Authenticate} on a 401) travel with the exception.
 */
public final class ArmException extends RuntimeException {

  /** One entry of {@code error.details}. */
  public record Detail(String code, String message, String target) {}

  private final ArmErrorCode code;
  private final String target;
  private final List<Detail> details;
  private final Map<String, String> headers;

  private ArmException(
      ArmErrorCode code,
      String message,
      String target,
      List<Detail> details,
      Map<String, String> headers) {
    super(message, null, false, false);
    this.code = code;
    this.target = target;
    this.details = List.copyOf(details);
    this.headers = Map.copyOf(headers);
  }

  public static ArmException of(ArmErrorCode code, String message) {
    return new ArmException(code, message, null, List.of(), Map.of());
  }

  public ArmException withTarget(String newTarget) {
    return new ArmException(code, getMessage(), newTarget, details, headers);
  }

  public ArmException withDetails(List<Detail> newDetails) {
    return new ArmException(code, getMessage(), target, newDetails, headers);
  }

  public ArmException withHeader(String name, String value) {
    var all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return new ArmException(code, getMessage(), target, details, all);
  }

  public ArmErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }

  /** The property the error is about, or null. */
  public String target() {
    return target;
  }

  public List<Detail> details() {
    return details;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
