package dev.berth.registry.distribution.internal;

import dev.berth.registry.AccessRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a registry route needs of the caller, declared in its row of {@link RegistryRoutes}: the
 * scopes of the Docker token grammar that {@link dev.berth.registry.RegistryAccess} must grant
 * before the handler runs, or challenge (docs/registry-auth.md, "What each caller holds").
 * Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface RouteAccess {

  String PULL = "pull";
  String PUSH = "push";
  String DELETE = "delete";
  String METADATA_READ = "metadata_read";

  /**
   * The scopes this call needs. Reading the repository name validates it, so a malformed name is
   * answered 400 {@code NAME_INVALID} before any access check.
   */
  List<AccessRequest> scopes(Call call);

  /**
   * No scope: the API base {@code /v2/}. The access layer still challenges a caller without a
   * credential, which {@code docker login} and {@code az acr login} rely on.
   */
  static RouteAccess noScope() {
    return call -> List.of();
  }

  /** {@code registry:catalog:*}: the repository listings. */
  static RouteAccess catalog() {
    return call -> List.of(AccessRequest.catalog());
  }

  /** {@code actions} on the repository the path names. */
  static RouteAccess repository(String... actions) {
    return call -> List.of(AccessRequest.repository(call.name(), actions));
  }

  /**
   * Starting an upload: pull and push on the repository, and for a cross-repository mount ({@code
   * ?mount=<digest>&from=<repository>}) also pull on the source, asked in one challenge; a mount
   * whose parameters are not a digest and a repository name is a plain upload and asks nothing of
   * the source.
   */
  static RouteAccess upload() {
    return call -> {
      List<AccessRequest> scopes = new ArrayList<>();
      scopes.add(AccessRequest.repository(call.name(), PULL, PUSH));
      UploadHandler.mount(call)
          .ifPresent(m -> scopes.add(AccessRequest.repository(m.from(), PULL)));
      return scopes;
    };
  }
}
