package io.palabre.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.palabre.launcher.LocalRuntimeProcess.ExternalPostgres;

/**
 * The whole of Palabre on one machine: the local runtime (Kafka broker, PostgreSQL) and the three services, each
 * with its own database. Closing it stops everything, services first.
 */
public final class PalabreStack implements AutoCloseable {

    /** The services in the order they start, with their database. */
    public static final List<String> SERVICES = List.of("ingest-service", "analysis-service", "dashboard-service");

    private final LocalRuntimeProcess runtime;
    private final List<ServiceProcess> services;
    private final AdminCredentials admin;

    private PalabreStack(LocalRuntimeProcess runtime, List<ServiceProcess> services, AdminCredentials admin) {
        this.runtime = runtime;
        this.services = services;
        this.admin = admin;
    }

    /**
     * Ports and places; a port of 0 means a free one. The services listen on {@code host} only: 127.0.0.1 unless
     * exposed on purpose. {@code admin} is the first admin, made when the dashboard has no user yet.
     */
    public record Settings(Path projectDir, Path dataDir, Path logDir, int kafkaPort, int postgresPort,
            ExternalPostgres external, int ingestPort, int analysisPort, int dashboardPort, String host,
            AdminCredentials admin, int brokers, String externalKafka) {

        public Settings(Path projectDir, Path dataDir, Path logDir, int kafkaPort, int postgresPort,
                ExternalPostgres external, int ingestPort, int analysisPort, int dashboardPort, String host,
                AdminCredentials admin, int brokers) {
            this(projectDir, dataDir, logDir, kafkaPort, postgresPort, external, ingestPort, analysisPort,
                    dashboardPort, host, admin, brokers, null);
        }

        /** The same, on a Kafka broker ({@code bootstrapServers}) and a PostgreSQL server that run elsewhere. */
        public Settings elsewhere(String bootstrapServers, ExternalPostgres postgres) {
            return new Settings(projectDir, dataDir, logDir, kafkaPort, postgresPort, postgres, ingestPort,
                    analysisPort, dashboardPort, host, admin, brokers, bootstrapServers);
        }

        public Settings(Path projectDir, Path dataDir, Path logDir, int kafkaPort, int postgresPort,
                ExternalPostgres external, int ingestPort, int analysisPort, int dashboardPort, String host,
                AdminCredentials admin) {
            this(projectDir, dataDir, logDir, kafkaPort, postgresPort, external, ingestPort, analysisPort,
                    dashboardPort, host, admin, 1);
        }

        public Settings(Path projectDir, Path dataDir, Path logDir, int kafkaPort, int postgresPort,
                ExternalPostgres external, int ingestPort, int analysisPort, int dashboardPort) {
            this(projectDir, dataDir, logDir, kafkaPort, postgresPort, external, ingestPort, analysisPort,
                    dashboardPort, "127.0.0.1", AdminCredentials.draw());
        }
    }

    public static String databaseOf(String service) {
        return "palabre_" + service.substring(0, service.indexOf('-'));
    }

    public static PalabreStack start(Settings settings) throws Exception {
        List<String> databases = SERVICES.stream().map(PalabreStack::databaseOf).toList();
        LocalRuntimeProcess runtime = settings.externalKafka() != null && settings.external() != null
                ? LocalRuntimeProcess.external(settings.externalKafka(), settings.external(), databases)
                : LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(
                        settings.logDir().resolve("local-runtime.log"), settings.dataDir(), settings.kafkaPort(),
                        settings.postgresPort(), settings.external(), databases, true, settings.brokers() > 1
                                ? List.of("--brokers", Integer.toString(settings.brokers()))
                                : List.of()));
        List<ServiceProcess> started = new ArrayList<>();
        try {
            int[] ports = { settings.ingestPort(), settings.analysisPort(), settings.dashboardPort() };
            for (int i = 0; i < SERVICES.size(); i++) {
                String service = SERVICES.get(i);
                int port = ports[i] == 0 ? freePort() : ports[i];
                Map<String, String> secrets = new java.util.HashMap<>();
                secrets.put("QUARKUS_DATASOURCE_PASSWORD", runtime.postgresPassword());
                if (service.equals("dashboard-service")) {
                    secrets.putAll(settings.admin().environment());
                }
                started.add(ServiceProcess.start(settings.projectDir(), service, port, Map.of(
                        "quarkus.http.host", settings.host(),
                        "kafka.bootstrap.servers", runtime.bootstrapServers(),
                        "quarkus.datasource.jdbc.url", runtime.jdbcUrl(databaseOf(service)),
                        "quarkus.datasource.username", runtime.postgresUser()), secrets, settings.logDir()));
            }
            ExecutorService waiting = Executors.newFixedThreadPool(started.size());
            try {
                List<Future<Object>> ready = new ArrayList<>();
                for (ServiceProcess service : started) {
                    ready.add(waiting.submit(() -> {
                        service.awaitReady(Duration.ofSeconds(180));
                        return null;
                    }));
                }
                for (Future<Object> f : ready) {
                    f.get();
                }
            } finally {
                waiting.shutdownNow();
            }
            awaitToken(started, settings.admin(), Duration.ofSeconds(60));
        } catch (Exception e) {
            new PalabreStack(runtime, started, settings.admin()).close();
            throw e;
        }
        return new PalabreStack(runtime, started, settings.admin());
    }

    /**
     * Waits until every service accepts the admin's token: the dashboard publishes it, and the others learn it from
     * the broker. (With kept data and another admin token, this passes on a 401 only at the time limit.)
     */
    private static void awaitToken(List<ServiceProcess> services, AdminCredentials admin, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ServiceProcess service : services) {
            acceptsToken(service.url(), admin, deadline);
        }
    }

    /**
     * Waits until the service at {@code url} accepts the admin's token (its OpenAPI document answers 200), until the
     * deadline ({@link System#nanoTime()}); whether it did.
     */
    static boolean acceptsToken(String url, AdminCredentials admin, long deadline) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest request = admin.authorize(HttpRequest.newBuilder(URI.create(url + "/q/openapi")))
                        .timeout(Duration.ofSeconds(5)).build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (java.io.IOException notYet) {
                // listening soon
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The first admin's credentials this stack was started with. */
    public AdminCredentials admin() {
        return admin;
    }

    private static int freePort() throws java.io.IOException {
        return FreePorts.next();
    }

    public String bootstrapServers() {
        return runtime.bootstrapServers();
    }

    public ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    public String ingestUrl() {
        return service("ingest-service").url();
    }

    public String analysisUrl() {
        return service("analysis-service").url();
    }

    public String dashboardUrl() {
        return service("dashboard-service").url();
    }

    public LocalRuntimeProcess runtime() {
        return runtime;
    }

    /** Sends NDJSON mentions to {@code POST /api/imports?format=palabre} with a token, and returns the report. */
    public static HttpResponse<String> importNdjson(String ingestUrl, String token, byte[] ndjson) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + "/api/imports?format=palabre"))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        runtime.close();
    }
}
