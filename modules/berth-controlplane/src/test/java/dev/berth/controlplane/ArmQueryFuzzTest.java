package dev.berth.controlplane;

import static dev.berth.controlplane.support.ArmServer.SUB;
import static dev.berth.testing.Fuzz.frequency;
import static dev.berth.testing.Fuzz.joined;
import static dev.berth.testing.Fuzz.qt;
import static dev.berth.testing.Fuzz.unchecked;
import static dev.berth.testing.Fuzz.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.berth.controlplane.support.ArmServer;
import dev.berth.testing.Fuzz;
import dev.berth.testing.RawHttp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random paths and query strings — filters, page tokens, api-versions, escapes good and bad — sent
 * raw to the ARM chain over real HTTP: never a 5xx, each answered within seconds.
 */
class ArmQueryFuzzTest {

  private static ArmServer arm;
  private static int port;

  /** One request's method, path and query (with its {@code ?}). */
  record Request(String method, String path, String query) {}

  @BeforeAll
  static void start() throws Exception {
    arm = new ArmServer(List.of(TestTypes.registries()));
    arm.put(
        "/subscriptions/" + SUB + "/resourceGroups/rg1?api-version=2021-04-01",
        "owner",
        "{\"location\":\"local\"}");
    port = Integer.parseInt(arm.base().substring(arm.base().lastIndexOf(':') + 1));
  }

  @AfterAll
  static void stop() throws Exception {
    arm.close();
  }

  @Test
  void randomQueriesAreNever5xx() {
    qt(500)
        .forAll(methods().zip(paths(), queries(), Request::new))
        .checkAssert(
            unchecked(
                q -> {
                  RawHttp.Reply r =
                      RawHttp.send(
                          port,
                          q.method()
                              + " "
                              + q.path()
                              + q.query()
                              + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer owner\r\n"
                              + "Connection: close\r\nContent-Length: 2\r\n\r\n{}",
                          false);
                  assertThat(r.status()).as("%s → %s", q, r.body()).isBetween(100, 499);
                }));
  }

  private static Gen<String> methods() {
    return arbitrary().pick("GET", "PUT", "DELETE", "POST", "PATCH", "HEAD");
  }

  private static Gen<String> paths() {
    String sub = "/subscriptions/" + SUB;
    return arbitrary()
        .pick(
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

  private static Gen<String> queries() {
    Gen<String> key =
        arbitrary()
            .pick(
                "api-version", "$filter", "$top", "$skipToken", "$expand", "tailLines", "%zz", "");
    Gen<String> value =
        frequency(
            weighted(
                3,
                arbitrary()
                    .pick(
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
            // Printable ASCII but for what would end the value or the query: '#', '&'.
            weighted(1, Fuzz.strings(Fuzz.chars('!', '~').replaceAll("[#&]", ""), 0, 12)));
    Gen<String> pair = key.zip(value, (k, v) -> k + "=" + v);
    return joined(lists().of(pair).ofSizeBetween(0, 3), "&").map(q -> q.isEmpty() ? "" : "?" + q);
  }
}
