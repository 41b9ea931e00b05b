package dev.berth.store;

/**
 * A condition a write needs to hold: the HTTP {@code If-Match} / {@code If-None-Match} headers, and
 * the conditions a controller needs to write safely.
 */
public sealed interface Precondition {

  /** No condition. */
  Precondition NONE = new None();

  /** The document must not exist ({@code If-None-Match: *}). */
  Precondition ABSENT = new Absent();

  /** The document must exist ({@code If-Match: *}). */
  Precondition EXISTS = new Exists();

  /** The document must exist with this etag ({@code If-Match: "etag"}). */
  static Precondition ifMatch(String etag) {
    return new IfMatch(etag);
  }

  /** If the document exists, its etag must not be this one ({@code If-None-Match: "etag"}). */
  static Precondition ifNoneMatch(String etag) {
    return new IfNoneMatch(etag);
  }

  /** True when a document in this state (null when absent) satisfies the condition. */
  boolean test(StoredResource current);

  // Each record answers test itself: a default method here would make the records' class
  // initialization wait on this interface's, which creates them (a possible deadlock).

  record None() implements Precondition {
    @Override
    public boolean test(StoredResource current) {
      return true;
    }
  }

  record Absent() implements Precondition {
    @Override
    public boolean test(StoredResource current) {
      return current == null;
    }
  }

  record Exists() implements Precondition {
    @Override
    public boolean test(StoredResource current) {
      return current != null;
    }
  }

  record IfMatch(String etag) implements Precondition {
    @Override
    public boolean test(StoredResource current) {
      return current != null && current.etag().equals(etag);
    }
  }

  record IfNoneMatch(String etag) implements Precondition {
    @Override
    public boolean test(StoredResource current) {
      return current == null || !current.etag().equals(etag);
    }
  }
}
