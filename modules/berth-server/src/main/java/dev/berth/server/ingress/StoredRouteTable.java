package dev.berth.server.ingress;

import dev.berth.api.ResourceId;
import dev.berth.api.app.AppTypes;
import dev.berth.ingress.AppRoute;
import dev.berth.ingress.Caller;
import dev.berth.ingress.RouteTable;
import dev.berth.store.Query;
import dev.berth.store.ResourceStore;
import dev.berth.store.StoredResource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's {@link RouteTable}, kept from the store: requests read an immutable {@link Routes}
 * from memory; a store write of an environment, app, revision or replica (the store's {@code
 * watch}) wakes one virtual thread that reads those documents again and swaps the routes in. A
 * revision is picked per request, with a fresh random number. Thread-safe.
 */
public final class StoredRouteTable implements RouteTable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StoredRouteTable.class);
  private static final Set<String> WATCHED =
      Set.of(
              AppTypes.MANAGED_ENVIRONMENT,
              AppTypes.CONTAINER_APP,
              AppTypes.REVISION,
              AppTypes.REPLICA,
              // A deleted tree is announced by its root: a group or subscription may hold apps.
              ResourceId.SUBSCRIPTION_TYPE,
              ResourceId.RESOURCE_GROUP_TYPE)
          .stream()
          .map(t -> t.toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());

  private final ResourceStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AutoCloseable watch;
  private final Thread rebuilder;
  private boolean dirty = true;
  private boolean closed;
  private volatile Routes routes = Routes.EMPTY;
  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());
  private final List<Runnable> hostsChanged = new CopyOnWriteArrayList<>();

  private StoredRouteTable(ResourceStore store) {
    this.store = store;
    // Watch before the first read, so no write between the two goes unseen.
    this.watch = store.watch(this::onWrite);
    this.routes = read();
    this.dirty = false;
    this.rebuilder = Thread.ofVirtual().name("berth-ingress-routes").start(this::rebuildLoop);
  }

  /** A table over {@code store}, read once now and again after each relevant write. */
  public static StoredRouteTable open(ResourceStore store) {
    return new StoredRouteTable(store);
  }

  @Override
  public Optional<AppRoute> route(String host) {
    return pick(routes.hosts().get(host));
  }

  @Override
  public Optional<AppRoute> route(String host, Caller caller) {
    Routes now = routes;
    HostRoute route = now.hosts().get(host);
    if (route == null && host.indexOf('.') < 0) {
      // A bare name: only a replica's environment gives it a meaning.
      route = now.named(host, caller.peerAddress());
    }
    return pick(route);
  }

  private static Optional<AppRoute> pick(HostRoute route) {
    return route == null
        ? Optional.empty()
        : Optional.of(route.route(ThreadLocalRandom.current().nextDouble()));
  }

  @Override
  public CompletableFuture<Void> nextChange() {
    return next.get();
  }

  /** Every environment's {@code defaultDomain} now, lower case. */
  public Set<String> domains() {
    return routes.domains();
  }

  /** Every host name the ingress routes now (apps, revisions, labels), lower case. */
  public Set<String> hosts() {
    return routes.hosts().keySet();
  }

  /**
   * The names a replica of the app {@code appId} resolves at the ingress: every external app's
   * hosts, its own environment's internal ones, and its neighbours' bare names ({@link
   * Routes#hostsFor}).
   */
  public Set<String> hostsFor(String appId) {
    return routes.hostsFor(appId.toLowerCase(Locale.ROOT));
  }

  /**
   * Runs {@code action} (on the table's own thread) after each rebuild that changed {@link
   * #hosts()} or an environment's bare names: an app, revision or label came or went, not a
   * replica.
   */
  public void whenHostsChange(Runnable action) {
    hostsChanged.add(action);
  }

  private void onWrite(ResourceId id) {
    // Runs on the writer's thread: flag and return.
    if (!id.isRoot() && !WATCHED.contains(id.type().toLowerCase(Locale.ROOT))) {
      return;
    }
    lock.lock();
    try {
      dirty = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void rebuildLoop() {
    while (true) {
      lock.lock();
      try {
        while (!dirty && !closed) {
          changed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        dirty = false;
      } finally {
        lock.unlock();
      }
      try {
        // Writes that land while this runs set dirty again: the loop reads once more.
        Routes before = routes;
        routes = read();
        // Requests the activator holds look again: a replica may have become ready.
        next.getAndSet(new CompletableFuture<>()).complete(null);
        // A new app without ingress adds no name, but a replica of it that started before this
        // rebuild was told only the external names: it hears of its environment now.
        if (!routes.hosts().keySet().equals(before.hosts().keySet())
            || !namesOf(routes).equals(namesOf(before))
            || !routes.environments().equals(before.environments())) {
          hostsChanged.forEach(Runnable::run);
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot read the ingress routes from the store; keeping the last ones", e);
      }
    }
  }

  private static Map<String, Set<String>> namesOf(Routes routes) {
    Map<String, Set<String>> names = new HashMap<>();
    routes.names().forEach((environment, named) -> names.put(environment, named.keySet()));
    return names;
  }

  private Routes read() {
    return Routes.of(
        all(AppTypes.MANAGED_ENVIRONMENT),
        all(AppTypes.CONTAINER_APP),
        all(AppTypes.REVISION),
        all(AppTypes.REPLICA));
  }

  private List<StoredResource> all(String type) {
    return store.stream(Query.descendants(ResourceId.root(), type)).toList();
  }

  @Override
  public void close() throws Exception {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    watch.close();
    rebuilder.join();
  }
}
