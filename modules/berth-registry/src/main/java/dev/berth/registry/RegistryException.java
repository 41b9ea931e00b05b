package dev.berth.registry;

import java.util.Map;

/**
 * A registry request answered with the {@code {"errors":[{code,message,detail}]}} envelope. The
 * status comes from the code; {@code headers} carries e.g. the {@code WWW-Authenticate} challenge
 * of a 401. {@code detail} is any JSON-ready value (ACR uses an array for UNAUTHORIZED, an object
 * for NAME_UNKNOWN, a string for MANIFEST_BLOB_UNKNOWN).
 */
public final class RegistryException extends RuntimeException {

  private final RegistryErrorCode code;
  private final transient Object detail;
  private final Map<String, String> headers;

  public RegistryException(
      RegistryErrorCode code, String message, Object detail, Map<String, String> headers) {
    super(message, null, false, false);
    this.code = code;
    this.detail = detail;
    this.headers = Map.copyOf(headers);
  }

  public static RegistryException of(RegistryErrorCode code, String message) {
    return new RegistryException(code, message, null, Map.of());
  }

  public static RegistryException of(RegistryErrorCode code, String message, Object detail) {
    return new RegistryException(code, message, detail, Map.of());
  }

  public RegistryErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }

  /** The {@code detail} value, or null. */
  public Object detail() {
    return detail;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
