package dev.berth.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the arrows of docs/architecture.md one way: each module may use only the modules its row
 * names, and no two packages depend on each other in a cycle.
 */
class ModuleArrowsTest {

  /** Each module's root package and the modules it may depend on. */
  private static final Map<String, List<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("api", List.of()),
          Map.entry("http", List.of("api")),
          Map.entry("store", List.of("api")),
          Map.entry("identity", List.of("api", "http", "store")),
          Map.entry("controlplane", List.of("api", "http", "store", "identity")),
          Map.entry("registry", List.of("api", "http", "store", "identity")),
          Map.entry("runtime", List.of("api")),
          Map.entry("reconciler", List.of("api", "store", "identity", "runtime", "autoscaler")),
          Map.entry("autoscaler", List.of("api")),
          Map.entry("ingress", List.of("api")),
          Map.entry("client", List.of("api")),
          Map.entry("cli", List.of("api", "client")),
          Map.entry("portal", List.of("api", "http", "client")));

  private static final List<String> MODULES =
      List.of(
          "api",
          "http",
          "store",
          "identity",
          "controlplane",
          "registry",
          "runtime",
          "reconciler",
          "autoscaler",
          "ingress",
          "client",
          "cli",
          "portal",
          "server");

  private static JavaClasses berth;

  @BeforeAll
  static void importBerth() {
    berth =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Test fixtures shared as test-jars (the conformance suites) are not production code.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.berth");
  }

  @Test
  void everyModuleDependsOnlyOnTheModulesDesignAllows() {
    ALLOWED.forEach(
        (module, allowed) -> {
          List<String> forbidden = new ArrayList<>();
          for (String other : MODULES) {
            if (!other.equals(module) && !allowed.contains(other)) {
              forbidden.add("dev.berth." + other + "..");
            }
          }
          noClasses()
              .that()
              .resideInAPackage("dev.berth." + module + "..")
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(forbidden.toArray(String[]::new))
              .because("docs/architecture.md lets " + module + " depend only on " + allowed)
              .check(berth);
        });
  }

  @Test
  void modulesHaveNoCycles() {
    slices().matching("dev.berth.(*)..").should().beFreeOfCycles().check(berth);
  }

  /**
   * The features inside a module ({@code registry.blob}, {@code registry.auth}, …) do not form
   * cycles. A feature and its {@code .internal} package count as one: the public factory naming its
   * implementation, and the implementation implementing the public interface, is the intended
   * shape.
   */
  @Test
  void featuresWithinAModuleHaveNoCycles() {
    slices().matching("dev.berth.*.(*)..").should().beFreeOfCycles().check(berth);
  }

  /**
   * The generic ARM layer ({@code controlplane} and {@code controlplane.internal}) names no
   * provider: a provider's api-versions, paths and routes reach it through the {@code ResourceType}
   * it registers, so a new provider changes no generic code.
   */
  @Test
  void theGenericArmLayerNamesNoProvider() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.berth.controlplane", "dev.berth.controlplane.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.berth.controlplane.providers..")
        .because(
            "providers plug into the generic layer through ResourceType (docs/controlplane.md)")
        .check(berth);
  }

  /**
   * The model every module reads through ({@code berth-api}: the registry and app views, the
   * verdicts, the error catalog) is made of JSON and the JDK only: it names no store, reconciler or
   * identity class, so it can never reach past the documents it is handed.
   */
  @Test
  void theModelDependsOnTheJdkAndJacksonOnly() {
    classes()
        .that()
        .resideInAPackage("dev.berth.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.berth.api..", "java..", "javax.crypto..", "com.fasterxml.jackson..")
        .because("views take JsonNode, never the store (docs/architecture.md, The model)")
        .check(berth);
    noClasses()
        .that()
        .resideInAPackage("dev.berth.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.berth.store..", "dev.berth.reconciler..", "dev.berth.identity..")
        .check(berth);
  }
}
