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

    private PalabreStack(LocalRuntimeProcess runtime, List<ServiceProcess> services) {
        this.runtime = runtime;
        this.services = services;
    }

    /**
     * Ports and places; a port of 0 means a free one. The services listen on {@code host} only: 127.0.0.1 unless
     * exposed on purpose.
     */
    public record Settings(Path projectDir, Path dataDir, Path logDir, int kafkaPort, int postgresPort,
            ExternalPostgres external, int ingestPort, int analysisPort, int dashboardPort, String host) {

        public Settings(Path projectDir, Path dataDir, Path logDir, int kafkaPort, int postgresPort,
                ExternalPostgres external, int ingestPort, int analysisPort, int dashboardPort) {
            this(projectDir, dataDir, logDir, kafkaPort, postgresPort, external, ingestPort, analysisPort,
                    dashboardPort, "127.0.0.1");
        }
    }

    public static String databaseOf(String service) {
        return "palabre_" + service.substring(0, service.indexOf('-'));
    }

    public static PalabreStack start(Settings settings) throws Exception {
        List<String> databases = SERVICES.stream().map(PalabreStack::databaseOf).toList();
        LocalRuntimeProcess runtime = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(
                settings.logDir().resolve("local-runtime.log"), settings.dataDir(), settings.kafkaPort(),
                settings.postgresPort(), settings.external(), databases));
        List<ServiceProcess> started = new ArrayList<>();
        try {
            int[] ports = { settings.ingestPort(), settings.analysisPort(), settings.dashboardPort() };
            for (int i = 0; i < SERVICES.size(); i++) {
                String service = SERVICES.get(i);
                int port = ports[i] == 0 ? freePort() : ports[i];
                started.add(ServiceProcess.start(settings.projectDir(), service, port, Map.of(
                        "quarkus.http.host", settings.host(),
                        "kafka.bootstrap.servers", runtime.bootstrapServers(),
                        "quarkus.datasource.jdbc.url", runtime.jdbcUrl(databaseOf(service)),
                        "quarkus.datasource.username", runtime.postgresUser(),
                        "quarkus.datasource.password", runtime.postgresPassword()), settings.logDir()));
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
        } catch (Exception e) {
            new PalabreStack(runtime, started).close();
            throw e;
        }
        return new PalabreStack(runtime, started);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
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

    /** Sends NDJSON mentions to {@code POST /api/imports?format=palabre} and returns the report. */
    public static HttpResponse<String> importNdjson(String ingestUrl, byte[] ndjson) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl + "/api/imports?format=palabre"))
                .header("Content-Type", "application/x-ndjson")
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
