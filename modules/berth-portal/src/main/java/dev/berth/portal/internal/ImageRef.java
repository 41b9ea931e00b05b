package dev.berth.portal.internal;

/**
 * Splits an image reference {@code [host[:port]/]path[:tag][@digest]} as distribution's reference
 * grammar does: the first component is a host when it holds a dot or a colon or is {@code
 * localhost}. Stateless.
 */
final class ImageRef {

  private ImageRef() {}

  static String server(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return "";
    }
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "";
  }

  /** The repository path, without host, tag or digest. */
  static String repository(String image) {
    String rest = withoutServerOrDigest(image);
    int colon = rest.lastIndexOf(':');
    return colon >= 0 ? rest.substring(0, colon) : rest;
  }

  /** The tag, or empty. */
  static String tag(String image) {
    String rest = withoutServerOrDigest(image);
    int colon = rest.lastIndexOf(':');
    return colon >= 0 ? rest.substring(colon + 1) : "";
  }

  /** {@code repository[:tag]}: the image without its registry host and {@code @digest}. */
  private static String withoutServerOrDigest(String image) {
    String server = server(image);
    String rest = server.isEmpty() ? image : image.substring(server.length() + 1);
    int at = rest.indexOf('@');
    return at >= 0 ? rest.substring(0, at) : rest;
  }
}
