package dev.berth.controlplane.providers.containerregistry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import java.util.Optional;

/**
 * {@code berth acr check-access}: what the registry would answer an identity asking for a
 * repository, and which rule decided. The ARM layer authorizes the caller ({@link
 * CheckAccessRoute#ACTION}); the server answers with the registry's own decision code, which the
 * control plane may not depend on. Implementations must be thread-safe.
 */
public interface RegistryAccessCheck {

  /** No registry data plane: every question is answered 501-free with a clear refusal. */
  RegistryAccessCheck NONE =
      q -> {
        throw ArmException.of(
            ArmErrorCode.InvalidParameter, "This Berth serves no registry data plane.");
      };

  /**
   * One question.
   *
   * @param registry the registry's id
   * @param identity a user-assigned identity's resource id, or a principal (object) id
   * @param repository the repository, such as {@code team-a/api}
   * @param action {@code pull} or {@code push}
   * @param sourceAddress the address the request would come from (network rules), if known
   * @param armAudience whether the identity presents an ARM-audience token (as Container Apps does)
   */
  record Question(
      ResourceId registry,
      String identity,
      String repository,
      String action,
      Optional<String> sourceAddress,
      boolean armAudience) {}

  /**
   * @return {@code {allowed, decidedBy, rule, reason?, status?, code?, message?, principalId}}
   * @throws ArmException for an identity or registry that does not exist
   */
  ObjectNode check(Question question);
}
