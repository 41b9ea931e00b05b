package dev.berth.server;

import dev.berth.autoscaler.ScaleOverrides;
import dev.berth.registry.blob.BlobStores;
import dev.berth.server.ingress.IngressPorts;
import dev.berth.server.limits.Limits;
import dev.berth.server.tls.TlsProvider;
import dev.berth.store.ResourceStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How to run one Berth server: where its data lives, where it listens, the extra names its
 * certificate must cover, and how much its clients may hold ({@link Limits}). Built from
 * command-line options, then environment variables, then defaults ({@code ~/.berth},
 * 127.0.0.1:8443).
 *
 * <p>{@code registryDomain}: with a DNS domain, registries are {@code <name>.<domain>} on Berth's
 * port, told apart by Host and SNI (the certificate covers {@code *.<domain>}); without one, each
 * registry gets a loopback port of its own and needs no DNS at all.
 *
 * <p>{@code housekeeping}: how long ended ARM operations are kept and how often registry garbage is
 * collected ({@link HousekeepingSettings}).
 *
 * <p>{@code ingress}: the apps' HTTPS and HTTP ports (docs/ingress.md); none in {@link #of}, so
 * tests do not take 443 from each other.
 *
 * <p>{@code secretsKeyFile}: the key secrets are sealed with, kept outside the data directory (a
 * KMS-like mount, a systemd credential); without one, Berth makes {@code keys/secrets.key} in the
 * data directory at first start (docs/security.md).
 *
 * <p>{@code store}: the resource store's URL ({@code postgresql://…}, docs/store.md); empty: SQLite
 * in the data directory ({@code berth.db}).
 *
 * <p>{@code blobs}: where the registries' blobs are kept ({@code azure-blob:<container URL>},
 * docs/registry-distribution.md); empty: {@code registry/} in the data directory.
 */
public record ServerConfig(
    DataDir dataDir,
    String host,
    int port,
    Set<String> extraNames,
    Optional<String> registryDomain,
    ReplicaSettings replicas,
    TlsProvider tls,
    Optional<Path> secretsKeyFile,
    Limits limits,
    HousekeepingSettings housekeeping,
    IngressPorts ingress,
    Optional<String> store,
    Optional<String> blobs) {

  /**
   * Whether and where replicas run: the runc runtime on a bridge of its own with addresses from
   * {@code network} (never podman's 10.88.0.0/16); {@code prefix} names its netns, veths, cgroups
   * and bridge-side state, so two Berths on one machine (tests) keep apart. {@code scale} shortens
   * every revision's cooldown, polling interval and stable window ({@code BERTH_SCALE_COOLDOWN},
   * {@code BERTH_SCALE_POLLING_INTERVAL}, {@code BERTH_SCALE_STABLE_WINDOW}, ISO-8601 durations
   * such as {@code PT5S}): tests and benchmarks.
   */
  public record ReplicaSettings(
      boolean enabled, String network, String bridge, String prefix, ScaleOverrides scale) {

    public static final String DEFAULT_NETWORK = "10.213.0.0/16";

    /** No runtime: apps are stored and served by ARM, nothing runs them. */
    public static final ReplicaSettings NONE =
        new ReplicaSettings(false, DEFAULT_NETWORK, "berth0", "berth", ScaleOverrides.NONE);

    public static ReplicaSettings runc(String network, String bridge, String prefix) {
      return new ReplicaSettings(true, network, bridge, prefix, ScaleOverrides.NONE);
    }

    public ReplicaSettings withScale(ScaleOverrides overrides) {
      return new ReplicaSettings(enabled, network, bridge, prefix, overrides);
    }

    /**
     * The scale overrides in {@code env}.
     *
     * @throws IllegalArgumentException naming the variable whose value is not a duration
     */
    static ScaleOverrides scaleFromEnvironment(Map<String, String> env) {
      return new ScaleOverrides(
          duration(env, "BERTH_SCALE_COOLDOWN"),
          duration(env, "BERTH_SCALE_POLLING_INTERVAL"),
          duration(env, "BERTH_SCALE_STABLE_WINDOW"));
    }

    private static Optional<Duration> duration(Map<String, String> env, String name) {
      String text = env.get(name);
      if (text == null || text.isBlank()) {
        return Optional.empty();
      }
      try {
        Duration d = Duration.parse(text.strip());
        if (d.isNegative()) {
          throw new IllegalArgumentException(name + " cannot be negative: " + text);
        }
        return Optional.of(d);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            name + " is not an ISO-8601 duration such as PT5S: " + text, e);
      }
    }
  }

  public static final int DEFAULT_PORT = 8443;
  public static final String DEFAULT_HOST = "127.0.0.1";

  public ServerConfig {
    extraNames = Set.copyOf(extraNames);
    registryDomain =
        registryDomain.map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty());
    Objects.requireNonNull(tls, "tls");
    secretsKeyFile = secretsKeyFile.map(p -> p.toAbsolutePath().normalize());
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(housekeeping, "housekeeping");
    Objects.requireNonNull(ingress, "ingress");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
  }

  /** A configuration whose secrets key lives in the data directory. */
  public ServerConfig(
      DataDir dataDir,
      String host,
      int port,
      Set<String> extraNames,
      Optional<String> registryDomain,
      ReplicaSettings replicas,
      TlsProvider tls) {
    this(
        dataDir,
        host,
        port,
        extraNames,
        registryDomain,
        replicas,
        tls,
        Optional.empty(),
        Limits.DEFAULTS,
        HousekeepingSettings.DEFAULTS,
        IngressPorts.NONE,
        Optional.empty(),
        Optional.empty());
  }

  /** A configuration with no extra names and no registry domain: what tests mostly need. */
  public static ServerConfig of(DataDir dataDir, String host, int port) {
    return new ServerConfig(
        dataDir, host, port, Set.of(), Optional.empty(), ReplicaSettings.NONE, TlsProvider.AUTO);
  }

  /** The same configuration with replicas run as {@code replicas} says. */
  public ServerConfig withReplicas(ReplicaSettings replicas) {
    return copy(c -> c.replicas = replicas);
  }

  /** The same configuration with the apps' ingress on {@code ports}. */
  public ServerConfig withIngress(IngressPorts ports) {
    return copy(c -> c.ingress = ports);
  }

  /**
   * The same configuration with the ingress ports given on the command line, else in {@code
   * BERTH_INGRESS_HTTPS_PORT} / {@code BERTH_INGRESS_HTTP_PORT}; 0 turns a listener off. A port
   * named either way is used or the start fails; only the defaults (443, 80) fall back.
   */
  public ServerConfig withIngressOptions(
      Integer httpsOption, Integer httpOption, Map<String, String> env) {
    Integer https = httpsOption != null ? httpsOption : envPort(env, "BERTH_INGRESS_HTTPS_PORT");
    Integer http = httpOption != null ? httpOption : envPort(env, "BERTH_INGRESS_HTTP_PORT");
    if ((https != null && https < 0) || (http != null && http < 0)) {
      throw new IllegalArgumentException("an ingress port is 1-65535, or 0 for none");
    }
    IngressPorts d = IngressPorts.DEFAULTS;
    // Only a port left to its default falls back; one named is used or the start fails.
    return withIngress(
        new IngressPorts(
            https != null ? https : d.https(),
            https != null ? IngressPorts.OFF : d.httpsFallback(),
            http != null ? http : d.http(),
            http != null ? IngressPorts.OFF : d.httpFallback()));
  }

  private static Integer envPort(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a port number: " + value);
    }
  }

  /**
   * The same configuration with the resource store {@code option} names, else {@code BERTH_STORE};
   * neither: SQLite in the data directory.
   */
  public ServerConfig withStoreOption(String option, Map<String, String> env) {
    Optional<String> url =
        Optional.ofNullable(option != null ? option : env.get("BERTH_STORE"))
            .map(String::strip)
            .filter(u -> !u.isEmpty());
    url.ifPresent(ResourceStores::validate);
    return copy(c -> c.store = url);
  }

  /** The resource store's URL: the one configured, else SQLite in the data directory. */
  public String storeUrl() {
    return store.orElseGet(() -> "sqlite:" + dataDir.database());
  }

  /** The resource store for messages: the SQLite file, or the URL without its query. */
  public String storeName() {
    return store.map(url -> url.split("\\?", 2)[0]).orElseGet(() -> dataDir.database().toString());
  }

  /**
   * The same configuration with the registries' blobs where {@code option} says, else {@code
   * BERTH_BLOBS}; neither: in the data directory. A location is checked now, with its credential
   * ({@code AZURE_STORAGE_KEY} for {@code azure-blob:}), so a mistake stops {@code berth up} at
   * once.
   */
  public ServerConfig withBlobsOption(String option, Map<String, String> env) {
    Optional<String> location =
        Optional.ofNullable(option != null ? option : env.get("BERTH_BLOBS"))
            .map(BlobStores::normalize)
            .filter(u -> !u.isEmpty());
    location.ifPresent(l -> BlobStores.validate(l, env));
    return copy(c -> c.blobs = location);
  }

  /** The same configuration with the secrets key read from {@code file}. */
  public ServerConfig withSecretsKeyFile(Path file) {
    return copy(c -> c.secretsKeyFile = Optional.of(file));
  }

  /** The same configuration with these limits on connections and requests. */
  public ServerConfig withLimits(Limits newLimits) {
    return copy(c -> c.limits = newLimits);
  }

  /** The same configuration with this operation retention and registry garbage collection. */
  public ServerConfig withHousekeeping(HousekeepingSettings newHousekeeping) {
    return copy(c -> c.housekeeping = newHousekeeping);
  }

  /**
   * The configuration of a command that works on a stopped Berth's data directory ({@code berth
   * ca}, {@code store copy}, {@code blobs copy}): {@code dataDir} or {@code BERTH_DATA_DIR}, no
   * runtime, everything else from the environment as {@code berth up} reads it.
   */
  public static ServerConfig ofDataDir(Path dataDir, Map<String, String> env) {
    return resolve(dataDir, null, null, null, null, "none", null, null, null, env);
  }

  /**
   * Resolves the configuration: an option given on the command line wins over the environment
   * ({@code BERTH_DATA_DIR}, {@code BERTH_PORT}, {@code BERTH_HOST}, {@code BERTH_NAMES}
   * comma-separated, {@code BERTH_REGISTRY_DOMAIN}, {@code BERTH_RUNTIME} runc|none, {@code
   * BERTH_REPLICA_NETWORK}, {@code BERTH_REPLICA_PREFIX}, {@code BERTH_TLS_PROVIDER}
   * auto|jdk|boringssl, {@code BERTH_SECRETS_KEY_FILE}, the limits {@link Limits#fromEnvironment}
   * reads and the durations {@link HousekeepingSettings#fromEnvironment} reads), which wins over
   * the defaults.
   *
   * @throws IllegalArgumentException naming the option or variable whose value is bad
   */
  public static ServerConfig resolve(
      Path dataDirOption,
      Integer portOption,
      String hostOption,
      List<String> namesOption,
      String registryDomainOption,
      String runtimeOption,
      String networkOption,
      String tlsOption,
      Path secretsKeyFileOption,
      Map<String, String> env) {
    Path dataDir =
        dataDirOption != null
            ? dataDirOption
            : env.containsKey("BERTH_DATA_DIR")
                ? Path.of(env.get("BERTH_DATA_DIR"))
                : Path.of(System.getProperty("user.home"), ".berth");
    int port;
    if (portOption != null) {
      port = portOption;
    } else if (env.containsKey("BERTH_PORT")) {
      try {
        port = Integer.parseInt(env.get("BERTH_PORT").strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "BERTH_PORT is not a port number: " + env.get("BERTH_PORT"));
      }
    } else {
      port = DEFAULT_PORT;
    }
    String host = hostOption != null ? hostOption : env.getOrDefault("BERTH_HOST", DEFAULT_HOST);
    Set<String> names = new LinkedHashSet<>();
    if (namesOption != null) {
      names.addAll(namesOption);
    }
    if (env.containsKey("BERTH_NAMES")) {
      for (String n : env.get("BERTH_NAMES").split(",")) {
        if (!n.isBlank()) {
          names.add(n.strip());
        }
      }
    }
    String domain =
        registryDomainOption != null ? registryDomainOption : env.get("BERTH_REGISTRY_DOMAIN");
    String runtime =
        runtimeOption != null ? runtimeOption : env.getOrDefault("BERTH_RUNTIME", "runc");
    String network =
        networkOption != null
            ? networkOption
            : env.getOrDefault("BERTH_REPLICA_NETWORK", ReplicaSettings.DEFAULT_NETWORK);
    ReplicaSettings replicas =
        switch (runtime.strip().toLowerCase(Locale.ROOT)) {
          case "runc" -> {
            // Names the bridge, netns, veths and cgroups: two Berths on one machine keep apart.
            String prefix = env.getOrDefault("BERTH_REPLICA_PREFIX", "berth");
            yield ReplicaSettings.runc(network, prefix + "0", prefix)
                .withScale(ReplicaSettings.scaleFromEnvironment(env));
          }
          case "none" -> ReplicaSettings.NONE;
          default ->
              throw new IllegalArgumentException(
                  "unknown runtime '" + runtime + "': use runc or none");
        };
    TlsProvider tls =
        TlsProvider.parse(
            tlsOption != null ? tlsOption : env.getOrDefault("BERTH_TLS_PROVIDER", "auto"));
    Optional<Path> secretsKeyFile =
        Optional.ofNullable(secretsKeyFileOption)
            .or(
                () ->
                    Optional.ofNullable(env.get("BERTH_SECRETS_KEY_FILE"))
                        .filter(f -> !f.isBlank())
                        .map(Path::of));
    return new ServerConfig(
        new DataDir(dataDir),
        host,
        port,
        names,
        Optional.ofNullable(domain),
        replicas,
        tls,
        secretsKeyFile,
        Limits.fromEnvironment(env),
        HousekeepingSettings.fromEnvironment(env),
        IngressPorts.DEFAULTS,
        Optional.empty(),
        Optional.empty());
  }

  /** A copy of this configuration with what {@code change} sets; every other field is kept. */
  private ServerConfig copy(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new ServerConfig(
        f.dataDir,
        f.host,
        f.port,
        f.extraNames,
        f.registryDomain,
        f.replicas,
        f.tls,
        f.secretsKeyFile,
        f.limits,
        f.housekeeping,
        f.ingress,
        f.store,
        f.blobs);
  }

  /** The fields of a configuration, set one at a time by {@link #copy}. Not thread-safe. */
  private static final class Fields {
    final DataDir dataDir;
    final String host;
    final int port;
    final Set<String> extraNames;
    final Optional<String> registryDomain;
    ReplicaSettings replicas;
    final TlsProvider tls;
    Optional<Path> secretsKeyFile;
    Limits limits;
    HousekeepingSettings housekeeping;
    IngressPorts ingress;
    Optional<String> store;
    Optional<String> blobs;

    Fields(ServerConfig c) {
      dataDir = c.dataDir;
      host = c.host;
      port = c.port;
      extraNames = c.extraNames;
      registryDomain = c.registryDomain;
      replicas = c.replicas;
      tls = c.tls;
      secretsKeyFile = c.secretsKeyFile;
      limits = c.limits;
      housekeeping = c.housekeeping;
      ingress = c.ingress;
      store = c.store;
      blobs = c.blobs;
    }
  }

  /** Every name the server certificate must cover. */
  public Set<String> certificateNames() {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    if (!host.equals("0.0.0.0") && !host.equals("::")) {
      names.add(host);
    }
    names.addAll(extraNames);
    registryDomain.ifPresent(d -> names.add("*." + d));
    // Registries' login servers when Berth keeps their names in the hosts file (HostsFile).
    names.add("*" + RegistryListeners.AZURECR_LOCALHOST);
    return names;
  }
}
