package dev.berth.controlplane.internal;

import dev.berth.api.ArmErrorCode;
import dev.berth.api.ArmException;
import dev.berth.api.ResourceId;
import java.util.List;

/**
 * A request path under {@code …/providers/{Namespace}/…}, read as ARM reads it: an even number of
 * segments names a resource ({@code registries/myacr}); an odd number names a collection on GET
 * ({@code registries}, {@code containerApps/app/revisions}) or an action on POST ({@code
 * registries/myacr/listCredentials}); one segment on POST names a provider action ({@code
 * checkNameAvailability}). Immutable.
 */
public record GenericPath(ResourceId prefix, String namespace, List<String> rest, Shape shape) {

  /** What the path names. */
  public enum Shape {
    ITEM,
    COLLECTION,
    ACTION,
    /** {@code POST …/providers/{Namespace}/{action}}: an action of the provider itself. */
    PROVIDER_ACTION
  }

  public GenericPath {
    rest = List.copyOf(rest);
  }

  /** Reads the path of a call matched by a generic route. */
  public static GenericPath of(ArmCall call) {
    List<String> rest = List.of(call.var("rest").split("/"));
    for (String s : call.exchange().segments()) {
      if (s.contains("/")) {
        throw ArmException.of(
            ArmErrorCode.InvalidResourceName,
            "The resource name '" + s + "' is invalid: it cannot contain '/'.");
      }
    }
    ResourceId prefix =
        call.optionalVar("resourceGroupName")
            .map(rg -> ResourceId.resourceGroup(call.var("subscriptionId"), rg))
            .orElseGet(() -> ResourceId.subscription(call.var("subscriptionId")));
    Shape shape;
    if (rest.size() % 2 == 0) {
      shape = Shape.ITEM;
    } else if (call.method().equalsIgnoreCase("POST") && rest.size() >= 3) {
      shape = Shape.ACTION;
    } else if (call.method().equalsIgnoreCase("POST") && rest.size() == 1) {
      shape = Shape.PROVIDER_ACTION;
    } else if (call.method().equalsIgnoreCase("GET")) {
      shape = Shape.COLLECTION;
    } else {
      throw ArmException.of(
          ArmErrorCode.MethodNotAllowed,
          "The requested resource does not support http method '" + call.method() + "'.");
    }
    return new GenericPath(prefix, call.var("namespace"), rest, shape);
  }

  /** {@code Namespace/type[/childType]} of the resource or collection the path names. */
  public String type() {
    StringBuilder t = new StringBuilder(namespace);
    int end = shape == Shape.ACTION ? rest.size() - 1 : rest.size();
    for (int i = 0; i < end; i += 2) {
      t.append('/').append(rest.get(i));
    }
    return t.toString();
  }

  /** The resource an item or action path names. */
  public ResourceId itemId() {
    int end = shape == Shape.ACTION ? rest.size() - 1 : rest.size();
    return ResourceId.parse(
        prefix.value() + "/providers/" + namespace + "/" + String.join("/", rest.subList(0, end)));
  }

  /** The action name of an action or provider-action path. */
  public String action() {
    return rest.get(rest.size() - 1);
  }

  /** The scope a collection lists under: the group or subscription, or the parent resource. */
  public ResourceId collectionParent() {
    if (rest.size() == 1) {
      return prefix;
    }
    return ResourceId.parse(
        prefix.value()
            + "/providers/"
            + namespace
            + "/"
            + String.join("/", rest.subList(0, rest.size() - 1)));
  }
}
