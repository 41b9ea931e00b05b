package dev.berth.reconciler;

import static dev.berth.reconciler.Given.SYSTEM;
import static dev.berth.reconciler.Given.V1;
import static dev.berth.reconciler.Given.V2;
import static dev.berth.reconciler.Given.app;
import static dev.berth.reconciler.Given.berthRestarts;
import static dev.berth.reconciler.Given.causeFixed;
import static dev.berth.reconciler.Given.deactivated;
import static dev.berth.reconciler.Given.deleted;
import static dev.berth.reconciler.Given.inFlight;
import static dev.berth.reconciler.Given.itsReplicaExits;
import static dev.berth.reconciler.Given.leftRunning;
import static dev.berth.reconciler.Given.pass;
import static dev.berth.reconciler.Given.probesFail;
import static dev.berth.reconciler.Given.probesPassNow;
import static dev.berth.reconciler.Given.pullsRefused;
import static dev.berth.reconciler.Given.restartRequested;
import static dev.berth.reconciler.Given.revision;
import static dev.berth.reconciler.Given.scaled;
import static dev.berth.reconciler.Given.timePasses;
import static dev.berth.reconciler.Given.userAssigned;
import static dev.berth.reconciler.Then.active;
import static dev.berth.reconciler.Then.appState;
import static dev.berth.reconciler.Then.drainedFirst;
import static dev.berth.reconciler.Then.error;
import static dev.berth.reconciler.Then.event;
import static dev.berth.reconciler.Then.eventSays;
import static dev.berth.reconciler.Then.headerOpens;
import static dev.berth.reconciler.Then.identityVariables;
import static dev.berth.reconciler.Then.noError;
import static dev.berth.reconciler.Then.nothingChanged;
import static dev.berth.reconciler.Then.pulled;
import static dev.berth.reconciler.Then.pulledNothing;
import static dev.berth.reconciler.Then.replicas;
import static dev.berth.reconciler.Then.runs;
import static dev.berth.reconciler.Then.status;
import static dev.berth.reconciler.Then.touchesOnly;
import static dev.berth.reconciler.Then.wakesAfter;

import dev.berth.api.app.RevisionStatus;
import dev.berth.runtime.image.RegistryCredential.Anonymous;
import dev.berth.runtime.image.RegistryCredential.Basic;
import dev.berth.runtime.image.RegistryCredential.ManagedIdentity;
import dev.berth.testing.TableTest;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The revision reconciler as a table: given these documents and this runtime state, one reconcile
 * pass makes these changes. Every pass runs on the test's thread against fakes ({@link Scene});
 * time moves only when a row says so.
 */
class ReconcilerTableTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  static final Duration PROBE_PERIOD = Duration.ofSeconds(10);

  @TestFactory
  Stream<DynamicTest> onePass() {
    TableTest<Scene> table = TableTest.of(Scene::new);

    table
        .row("a new revision is pulled with its app's identity, started and running")
        .given(app().withIdentity(SYSTEM).pullingWith(SYSTEM), revision("v1"))
        .when(pass(V1))
        .then(
            pulled(1, ManagedIdentity.class),
            replicas(1, 0),
            identityVariables(true),
            runs(V1, 1),
            status(V1, RevisionStatus.RUNNING),
            noError(V1),
            touchesOnly(V1),
            event("ImagePulled"),
            event("RevisionReady"),
            wakesAfter(V1, PROBE_PERIOD))
        .when(pass(V1))
        .then(nothingChanged());

    table
        .row("a replica not ready yet is probed again within milliseconds, less often as it ages")
        .given(app().withIngress(8080), revision("v1"), probesFail())
        .when(pass(V1))
        .then(
            runs(V1, 1),
            status(V1, RevisionStatus.PROVISIONING),
            wakesAfter(V1, Duration.ofMillis(2)))
        .when(timePasses(Duration.ofMillis(400)), pass(V1))
        .then(wakesAfter(V1, Duration.ofMillis(100)))
        .when(timePasses(Duration.ofSeconds(5)), pass(V1))
        .then(wakesAfter(V1, Duration.ofMillis(250)))
        .when(probesPassNow(), pass(V1))
        .then(status(V1, RevisionStatus.RUNNING), wakesAfter(V1, PROBE_PERIOD));

    table
        .row("a registry entry with a user name pulls with the password secret, opened")
        .given(app().pullingAs("myacr", "pa55word"), revision("v1"))
        .when(pass(V1))
        .then(pulled(1, Basic.class), status(V1, RevisionStatus.RUNNING));

    table
        .row("a refused pull fails the revision with the diagnosis; fixed, it runs")
        .given(
            app().withIdentity(userAssigned("pull-id")).pullingWith(userAssigned("pull-id")),
            revision("v1"),
            pullsRefused())
        .when(pass(V1))
        .then(
            status(V1, RevisionStatus.FAILED),
            error(
                V1,
                "Field 'template.containers.api.image' is invalid with details:"
                    + " 'Invalid value: \"localhost:5001/api:1\": POST"
                    + " https://localhost:5001/oauth2/exchange: UNAUTHORIZED';..",
                Scene.DIAGNOSIS + "entry localhost:5001"),
            replicas(0, 0),
            touchesOnly(V1),
            event("ImagePullBackOff"),
            eventSays("\"Cause\":\"UNAUTHORIZED\""),
            wakesAfter(V1, Scene.PULL_BACKOFF))
        .when(causeFixed(), pass(V1))
        .then(nothingChanged(), wakesAfter(V1, Scene.PULL_BACKOFF))
        .when(timePasses(Scene.PULL_BACKOFF), pass(V1))
        .then(
            pulled(1, ManagedIdentity.class),
            status(V1, RevisionStatus.RUNNING),
            noError(V1),
            runs(V1, 1));

    table
        .row("scaling up starts the missing replicas; scaling down stops the newest")
        .given(app(), revision("v1").scale(1, 10))
        .when(pass(V1))
        .then(pulled(1, Anonymous.class), identityVariables(false), runs(V1, 1))
        .when(scaled(V1, 3, 10), pass(V1))
        .then(replicas(2, 0), pulledNothing(), runs(V1, 3), status(V1, RevisionStatus.RUNNING))
        .when(scaled(V1, 2, 2), pass(V1))
        .then(replicas(0, 1), runs(V1, 2))
        .when(deactivated(V1), pass(V1))
        .then(replicas(0, 2), runs(V1, 0), status(V1, RevisionStatus.STOPPED));

    table
        .row("an idle revision scales to zero after its cooldown; a request brings it back at once")
        .given(app(), revision("v1").scale(0, 10))
        .when(pass(V1))
        .then(runs(V1, 1), status(V1, RevisionStatus.RUNNING), wakesAfter(V1, SECOND))
        .when(timePasses(Duration.ofSeconds(299)), pass(V1))
        .then(runs(V1, 1))
        .when(timePasses(Duration.ofSeconds(31)), pass(V1))
        .then(
            replicas(0, 1),
            drainedFirst(1, Duration.ofSeconds(30)),
            runs(V1, 0),
            status(V1, RevisionStatus.RUNNING),
            eventSays("ScaledDown 1→0: no requests for 330 s (cooldownPeriod 300 s)"))
        .when(timePasses(Duration.ofSeconds(5)), inFlight(V1, 1), pass(V1))
        .then(
            replicas(1, 0),
            pulledNothing(),
            runs(V1, 1),
            eventSays("ScaledUp 0→1: 1 in flight over 10 per replica"));

    table
        .row("load over concurrentRequests per replica adds replicas up to maxReplicas")
        .given(app(), revision("v1").scale(1, 3))
        .when(pass(V1))
        .then(runs(V1, 1))
        .when(timePasses(Duration.ofSeconds(10)), inFlight(V1, 34), pass(V1))
        .then(runs(V1, 1))
        .when(
            timePasses(SECOND),
            pass(V1),
            timePasses(SECOND),
            pass(V1),
            timePasses(SECOND),
            pass(V1),
            timePasses(SECOND),
            pass(V1))
        .then(
            runs(V1, 3),
            eventSays("ScaledUp 1→2: 11.3 in flight over 10 per replica (panic)"),
            eventSays("ScaledUp 2→3: 22.7 in flight over 10 per replica (panic)"))
        .when(inFlight(V1, 0), timePasses(SECOND), pass(V1))
        .then(runs(V1, 3))
        .when(timePasses(Duration.ofSeconds(61)), pass(V1))
        .then(
            replicas(0, 2),
            drainedFirst(2, Duration.ofSeconds(30)),
            runs(V1, 1),
            eventSays("ScaledDown 3→1: 0 in flight over 10 per replica; the last replica waits"));

    table
        .row("a rule Berth cannot evaluate keeps one replica past the cooldown, and says why")
        .given(
            app(),
            revision("v1")
                .scale(0, 10)
                .rules(
                    "[{\"name\":\"orders\",\"azureQueue\":{\"queueName\":\"orders\","
                        + "\"queueLength\":5}}]"))
        .when(pass(V1), timePasses(Duration.ofMinutes(10)), pass(V1))
        .then(
            runs(V1, 1),
            status(V1, RevisionStatus.RUNNING),
            eventSays(
                "Berth evaluates HTTP scale rules only, not the azureQueue rule 'orders': the"
                    + " revision keeps at least 1 replica instead of scaling to zero"));

    table
        .row("minReplicas holds replicas however idle the revision is")
        .given(app(), revision("v1").scale(2, 5))
        .when(pass(V1), timePasses(Duration.ofMinutes(10)), pass(V1))
        .then(runs(V1, 2));

    table
        .row("a revision whose image does not pull keeps retrying, even idle past its cooldown")
        .given(app(), revision("v1").scale(0, 10), pullsRefused())
        .when(pass(V1), timePasses(Duration.ofMinutes(10)), pass(V1))
        .then(status(V1, RevisionStatus.FAILED))
        .when(causeFixed(), timePasses(Duration.ofMinutes(10)), pass(V1))
        .then(runs(V1, 1));

    table
        .row("replicas an earlier Berth left running are adopted, not doubled")
        .given(
            app().withIdentity(SYSTEM),
            revision("v1").scale(2, 2),
            leftRunning("app--v1-kept0001", V1))
        .when(pass(V1))
        .then(
            headerOpens("app--v1-kept0001"),
            replicas(1, 0),
            runs(V1, 2),
            status(V1, RevisionStatus.RUNNING))
        .when(berthRestarts(), pass(V1))
        .then(nothingChanged(), runs(V1, 2));

    table
        .row("an exited container backs off, then restarts under the same name")
        .given(app(), revision("v1"))
        .when(pass(V1))
        .then(runs(V1, 1))
        .when(itsReplicaExits(V1, 1), pass(V1))
        .then(
            replicas(0, 1),
            runs(V1, 0),
            status(V1, RevisionStatus.PROVISIONING),
            event("ContainerTerminated"),
            wakesAfter(V1, Scene.RESTART_BACKOFF))
        .when(timePasses(Scene.RESTART_BACKOFF), pass(V1))
        .then(replicas(1, 0), pulledNothing(), runs(V1, 1), status(V1, RevisionStatus.RUNNING));

    table
        .row("a restart request replaces the replicas and pulls again")
        .given(app(), revision("v1"))
        .when(pass(V1))
        .then(runs(V1, 1))
        .when(restartRequested(V1), pass(V1))
        .then(replicas(1, 1), pulled(1, Anonymous.class), runs(V1, 1), event("RevisionRestart"));

    table
        .row("an app whose revision failed to provision turns Succeeded when a retry runs it")
        .given(app().provisioned("Failed"), revision("v1"), pullsRefused())
        .when(pass(V1))
        .then(status(V1, RevisionStatus.FAILED), appState("Failed"))
        .when(causeFixed(), timePasses(Scene.PULL_BACKOFF), pass(V1))
        .then(status(V1, RevisionStatus.RUNNING), appState("Succeeded"));

    table
        .row("an app whose latest revision cannot pull after a restart turns Failed")
        .given(app().provisioned("Succeeded"), revision("v1"))
        .when(pass(V1))
        .then(status(V1, RevisionStatus.RUNNING), appState("Succeeded"))
        .when(pullsRefused(), restartRequested(V1), pass(V1))
        .then(status(V1, RevisionStatus.FAILED), appState("Failed"));

    table
        .row("while an operation runs on the app its provisioningState is the ARM layer's")
        .given(app().provisioned("InProgress"), revision("v1"), pullsRefused())
        .when(pass(V1))
        .then(status(V1, RevisionStatus.FAILED), appState("InProgress"));

    table
        .row("only the latest revision's outcome is the app's")
        .given(app().provisioned("Succeeded").latest("app--v2"), revision("v1"), pullsRefused())
        .when(pass(V1))
        .then(status(V1, RevisionStatus.FAILED), appState("Succeeded"));

    table
        .row("in single mode the old revision serves until the new one runs")
        .given(app().latest("app--v2"), revision("v1"), revision("v2").image("2"))
        .when(pass(V1))
        .then(runs(V1, 1))
        .when(pullsRefused(), pass(V2))
        .then(status(V2, RevisionStatus.FAILED), active(V1, true), touchesOnly(V2))
        .when(causeFixed(), timePasses(Scene.PULL_BACKOFF), pass(V2))
        .then(status(V2, RevisionStatus.RUNNING), active(V1, false))
        .when(pass(V1))
        .then(replicas(0, 1), status(V1, RevisionStatus.STOPPED));

    table
        .row("a deleted revision's replicas are stopped")
        .given(app(), revision("v1").scale(2, 2))
        .when(pass(V1))
        .then(runs(V1, 2))
        .when(deleted(V1), pass(V1))
        .then(replicas(0, 2), runs(V1, 0));

    return table.tests();
  }
}
