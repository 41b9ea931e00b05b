package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.controlplane.support.ArmServer;
import dev.berth.testing.RawHttp;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random paths and query strings — filters, page tokens, api-versions, escapes good and bad — sent
 * raw to the ARM chain over real HTTP: never a 5xx, each answered within seconds.
 */
class ArmQueryFuzzTest {

  private static ArmServer arm;
  private static int port;

  @BeforeContainer
  static void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries()));
    arm.put(
        "/subscriptions/" + SUB + "/resourceGroups/rg1?api-version=2021-04-01",
        "owner",
        "{\"location\":\"local\"}");
    port = Integer.parseInt(arm.base().substring(arm.base().lastIndexOf(':') + 1));
  }

  @AfterContainer
  static void stop() throws Exception {
    arm.close();
  }

  @Property(tries = 500)
  void randomQueriesAreNever5xx(
      @ForAll("methods") String method,
      @ForAll("paths") String path,
      @ForAll("queries") String query)
      throws Exception {
    RawHttp.Reply r =
        RawHttp.send(
            port,
            method
                + " "
                + path
                + query
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer owner\r\nConnection: close\r\n"
                + "Content-Length: 2\r\n\r\n{}",
            false);
    assertThat(r.status()).as("%s %s%s → %s", method, path, query, r.body()).isBetween(100, 499);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "PUT", "DELETE", "POST", "PATCH", "HEAD");
  }

  @Provide
  Arbitrary<String> paths() {
    String sub = "/subscriptions/" + SUB;
    return Arbitraries.of(
        "/subscriptions",
        sub,
        sub + "/resourceGroups",
        sub + "/resources",
        sub + "/resourceGroups/rg1",
        sub + "/resourceGroups/rg1/resources",
        sub + "/providers",
        sub + "/providers/Microsoft.Authorization/roleAssignments",
        sub + "/providers/Microsoft.Authorization/roleDefinitions",
        sub + "/resourceGroups/rg1/providers/Microsoft.Authorization/roleAssignments/x",
        sub + "/providers/Microsoft.ContainerRegistry/locations/local/operationStatuses/x",
        sub + "/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries",
        sub + "/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/r%2e",
        "/metadata/endpoints",
        "/providers/Microsoft.Authorization/roleDefinitions",
        "/tenants");
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> key =
        Arbitraries.of(
            "api-version", "$filter", "$top", "$skipToken", "$expand", "tailLines", "%zz", "");
    Arbitrary<String> value =
        Arbitraries.frequencyOf(
            Tuple.of(
                3,
                Arbitraries.of(
                    "2021-04-01",
                    "2022-04-01",
                    "2015-01-01",
                    "latest",
                    "principalId%20eq%20'x'",
                    "assignedTo('%zz')",
                    "atScope()",
                    "roleName%20eq%20'Owner'",
                    "-1",
                    "99999999999999999999",
                    "LTU6",
                    "%",
                    "%zz",
                    "%E2%82",
                    "a%00b")),
            Tuple.of(
                1,
                Arbitraries.strings()
                    .withCharRange('!', '~')
                    .ofMaxLength(12)
                    .map(s -> s.replace(" ", "").replace("#", "").replace("&", ""))));
    Arbitrary<String> pair = Combinators.combine(key, value).as((k, v) -> k + "=" + v);
    return pair.list().ofMaxSize(3).map(l -> l.isEmpty() ? "" : "?" + String.join("&", l));
  }
}
