package dev.berth.identity;

import dev.berth.api.RoleDefinition;
import java.util.List;
import java.util.Optional;

/** The role definitions Berth knows: Azure's built-in roles, with Azure's GUIDs. Thread-safe. */
public interface RoleCatalog {

  List<RoleDefinition> all();

  /** By GUID, case-insensitively. */
  Optional<RoleDefinition> byId(String guid);

  /**
   * By role name ({@code AcrPull}), case-insensitively, as {@code $filter=roleName eq '…'} needs.
   */
  Optional<RoleDefinition> byName(String roleName);
}
