package dev.berth.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A resource that a document links by naming it in a field, and the action a writer of the document
 * must hold on that resource: what ARM's linked access check tests, such as a container app's
 * user-assigned identity ({@code …/userAssignedIdentities/assign/action}) or its environment
 * ({@code Microsoft.App/managedEnvironments/join/action}). Immutable.
 *
 * @param field where the document names it, such as {@code identity.userAssignedIdentities}
 * @param target the linked resource id as the document spells it; a value that is not a resource id
 *     is refused by the check ("the linked scope(s) are invalid")
 * @param action the ARM action the writer needs at {@code target}
 */
public record LinkedResource(String field, String target, String action) {

  /** What linking a user-assigned identity to any resource takes. */
  public static final String ASSIGN_IDENTITY =
      "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";

  /**
   * The links ARM itself finds in a resource of any type: each key of {@code
   * identity.userAssignedIdentities}. Lenient: a document without them links nothing.
   */
  public static List<LinkedResource> userAssignedIdentities(JsonNode doc) {
    List<LinkedResource> links = new ArrayList<>();
    JsonNode uamis = doc.path("identity").path("userAssignedIdentities");
    for (Iterator<String> keys = uamis.fieldNames(); keys.hasNext(); ) {
      links.add(
          new LinkedResource("identity.userAssignedIdentities", keys.next(), ASSIGN_IDENTITY));
    }
    return links;
  }

  /** A link named by the text field {@code value} at {@code field}, if the field holds text. */
  public static List<LinkedResource> ofText(String field, JsonNode value, String action) {
    return value.isTextual() && !value.asText().isBlank()
        ? List.of(new LinkedResource(field, value.asText(), action))
        : List.of();
  }
}
