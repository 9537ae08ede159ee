package io.palabre.system;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.LocalRuntimeProcess.ExternalPostgres;
import io.palabre.launcher.PalabreStack;
import io.palabre.launcher.ServiceProcess;

/**
 * Palabre as {@code ./palabre up} runs it, but with PostgreSQL, the Kafka broker and each packaged service in a process
 * of its own, on fixed ports and data directories, so that a test can kill any of them with SIGKILL (PostgreSQL's own
 * server included) and start it again where it was.
 */
final class KillableStack implements AutoCloseable {

    private final Path projectDir;
    private final Path dataDir;
    private final Path logs;
    private final int kafkaPort;
    private final int postgresPort;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> extraConfig;
    private LocalRuntimeProcess postgres;
    private LocalRuntimeProcess broker;

    private KillableStack(Path projectDir, Path dataDir, Path logs, Map<String, Map<String, String>> extraConfig)
            throws IOException {
        this.projectDir = projectDir;
        this.extraConfig = extraConfig;
        this.dataDir = dataDir;
        this.logs = logs;
        this.kafkaPort = freePort();
        this.postgresPort = freePort();
        for (String service : PalabreStack.SERVICES) {
            ports.put(service, freePort());
        }
    }

    /** Starts everything and waits until the three services are ready. */
    static KillableStack start(Path projectDir, Path dataDir, Path logs) throws Exception {
        return start(projectDir, dataDir, logs, Map.of());
    }

    /** Starts everything, each service with its own configuration added (by service name), and waits. */
    static KillableStack start(Path projectDir, Path dataDir, Path logs, Map<String, Map<String, String>> extraConfig)
            throws Exception {
        KillableStack stack = new KillableStack(projectDir, dataDir, logs, extraConfig);
        try {
            stack.startPostgres();
            stack.startBroker();
            for (String service : PalabreStack.SERVICES) {
                stack.startService(service);
            }
            for (String service : PalabreStack.SERVICES) {
                stack.services.get(service).awaitReady(Duration.ofSeconds(180));
            }
            // The dashboard makes the first admin and publishes its token; the others learn it from the broker.
            for (String service : PalabreStack.SERVICES) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> Api.status(stack.url(service) + "/q/openapi") == 200);
            }
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    void startPostgres() {
        if (ContainerInfrastructure.requested()) {
            // Both in containers: one runtime stands for the two, and neither can be killed here.
            postgres = ContainerInfrastructure.runtime();
            broker = postgres;
            return;
        }
        postgres = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(logs.resolve("postgres.log"), dataDir, 0,
                postgresPort, null, PalabreStack.SERVICES.stream().map(PalabreStack::databaseOf).toList(), false));
    }

    void startBroker() {
        if (ContainerInfrastructure.requested()) {
            return;
        }
        broker = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(logs.resolve("broker.log"), dataDir,
                kafkaPort, 0, new ExternalPostgres(postgres.jdbcUrl(""), postgres.postgresUser(),
                        postgres.postgresPassword()), List.of(), true));
    }

    void startService(String service) {
        Map<String, String> config = new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", ContainerInfrastructure.requested() ? broker.bootstrapServers()
                        : "localhost:" + kafkaPort,
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(PalabreStack.databaseOf(service)),
                "quarkus.datasource.username", postgres.postgresUser(),
                "quarkus.datasource.password", postgres.postgresPassword()));
        config.putAll(extraConfig.getOrDefault(service, Map.of()));
        services.put(service, ServiceProcess.start(projectDir, service, ports.get(service), config,
                service.equals("dashboard-service") ? Api.ADMIN.environment() : Map.of(), logs));
    }

    /** Kills the broker (SIGKILL) and starts it again on the same port and data, as a crashed broker restarts. */
    void restartBrokerAfterKill(Runnable whileDown) throws Exception {
        broker.kill(dataDir);
        whileDown.run();
        startBroker();
    }

    /** Kills PostgreSQL's server (SIGKILL) and starts it again on the same data, as after a crash. */
    void restartPostgresAfterKill(Runnable whileDown) throws Exception {
        postgres.kill(dataDir);
        whileDown.run();
        // The backends of the killed server notice and leave; until then its shared memory may still be in use.
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            startPostgres();
            return true;
        });
    }

    /** Kills a service (SIGKILL), starts it again on its port, and waits until it is ready. */
    void restartServiceAfterKill(String service) throws Exception {
        services.get(service).kill();
        startService(service);
        services.get(service).awaitReady(Duration.ofSeconds(180));
    }

    String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    String url(String service) {
        return "http://localhost:" + ports.get(service);
    }

    StateDigests.Database database(String service) {
        return new StateDigests.Database(postgres.jdbcUrl(PalabreStack.databaseOf(service)), postgres.postgresUser(),
                postgres.postgresPassword());
    }

    /** Whether every service process still runs. */
    boolean servicesAlive() {
        return services.values().stream().allMatch(s -> ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive)
                .orElse(false));
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static int freePort() throws IOException {
        return io.palabre.launcher.FreePorts.next();
    }
}
