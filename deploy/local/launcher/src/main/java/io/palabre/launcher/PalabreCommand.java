package io.palabre.launcher;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.launcher.LocalRuntimeProcess.ExternalPostgres;
import io.palabre.sample.SampleGenerator;

/**
 * {@code palabre up}: starts the whole stack on this machine, loads the bundled sample on the first start, prints
 * where to look, and stops everything on Ctrl-C.
 *
 * <p>Options: {@code --fresh} (forget earlier data), {@code --no-sample}, {@code --sample-size N},
 * {@code --expose} (listen on every interface, not only 127.0.0.1), {@code --project-dir DIR}. Ports, the address
 * to listen on and an external PostgreSQL come from environment variables (see README).
 */
public final class PalabreCommand {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PalabreCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("up")) {
            System.err.println("usage: palabre up [--fresh] [--no-sample] [--sample-size N] [--expose] "
                    + "[--brokers 1|3] [--project-dir DIR]");
            System.exit(2);
        }
        boolean fresh = false;
        boolean sample = true;
        String host = envOr("PALABRE_HOST", "127.0.0.1");
        int sampleSize = 4000;
        int brokers = 1;
        Path projectDir = Path.of("").toAbsolutePath();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = true;
                case "--expose" -> host = "0.0.0.0";
                case "--no-sample" -> sample = false;
                case "--sample-size" -> sampleSize = Integer.parseInt(args[++i]);
                case "--brokers" -> brokers = Integer.parseInt(args[++i]);
                case "--project-dir" -> projectDir = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("Unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path home = projectDir.resolve(".palabre");
        Path dataDir = home.resolve("data");
        Path credentialsFile = home.resolve("admin-credentials");
        if (fresh) {
            say("--fresh: removing " + dataDir + " and " + credentialsFile);
            Directories.deleteTree(dataDir);
            Files.deleteIfExists(credentialsFile);
        }
        Optional<AdminCredentials> kept = AdminCredentials.read(credentialsFile);
        AdminCredentials admin = kept.orElseGet(AdminCredentials::draw);
        PalabreStack.Settings settings = new PalabreStack.Settings(projectDir, dataDir, home.resolve("logs"),
                port("PALABRE_KAFKA_PORT", 9092), port("PALABRE_POSTGRES_PORT", 55432), externalPostgres(),
                port("INGEST_HTTP_PORT", 8081), port("ANALYSIS_HTTP_PORT", 8082), port("DASHBOARD_HTTP_PORT", 8080),
                host, admin, brokers);
        if (!host.startsWith("127.") && !host.equals("localhost")) {
            say("The services listen on " + host + ": anyone who can reach this machine can reach them.");
        }

        long t0 = System.nanoTime();
        say("Starting Kafka, PostgreSQL and the three services (logs in " + home.resolve("logs") + ") ...");
        PalabreStack stack;
        try {
            stack = start(settings, START_ATTEMPTS);
        } catch (StartFailedException e) {
            System.err.println();
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            say("Stopping Palabre ...");
            stack.close();
            say("Stopped. Data kept in " + dataDir + " (start again with ./palabre up, or ./palabre up --fresh).");
            stopped.countDown();
        }, "palabre-stop"));
        say(String.format("Up in %.1f s: Kafka at %s", (System.nanoTime() - t0) / 1e9, stack.bootstrapServers()));

        if (!tokenWorks(stack)) {
            System.out.println();
            say("The admin token in " + credentialsFile + (kept.isPresent() ? " no longer works (revoked or expired)"
                    : " is missing, and users exist already") + ": no sample is loaded and no figure shown. Log in "
                    + "with an existing user at " + stack.dashboardUrl() + "/ , or start from empty data with "
                    + "./palabre up --fresh.");
            stopped.await();
            return;
        }
        if (kept.isEmpty()) {
            admin.write(credentialsFile);
        }
        if (sample && !hasImports(stack)) {
            loadSample(stack, sampleSize);
        }
        awaitConversations(stack);
        printTour(stack, credentialsFile, kept.isEmpty());
        stopped.await();
    }

    private static final int START_ATTEMPTS = 3;

    /** The stack could not be started; the message says why, for a person. */
    static final class StartFailedException extends Exception {

        StartFailedException(String diagnosis, Throwable cause) {
            super(diagnosis, cause);
        }
    }

    /**
     * Starts the stack, trying again after a failure: leftovers of an earlier run of this project (a PostgreSQL still
     * on the data directory, a service, the broker) are stopped first, and a port held by them given time to free.
     */
    static PalabreStack start(PalabreStack.Settings settings, int attempts) throws StartFailedException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka", settings.kafkaPort());
        if (settings.external() == null) {
            ports.put("PostgreSQL", settings.postgresPort());
        }
        ports.put("ingest-service", settings.ingestPort());
        ports.put("analysis-service", settings.analysisPort());
        ports.put("dashboard-service", settings.dashboardPort());
        for (int attempt = 1;; attempt++) {
            List<ProcessHandle> leftovers = StartDiagnosis.leftovers(settings.projectDir(), settings.dataDir());
            if (!leftovers.isEmpty()) {
                say("Stopping " + leftovers.size() + " process(es) left by an earlier run of this project: "
                        + leftovers.stream().map(p -> Long.toString(p.pid())).toList());
                StartDiagnosis.stop(leftovers, Duration.ofSeconds(30));
            }
            try {
                return PalabreStack.start(settings);
            } catch (Exception e) {
                if (attempt >= attempts) {
                    throw new StartFailedException(StartDiagnosis.explain(e, ports, settings.projectDir(),
                            settings.dataDir(), settings.logDir()), e);
                }
                Map<String, Integer> taken = StartDiagnosis.portsInUse(ports);
                say("Start " + attempt + " of " + attempts + " failed (" + StartDiagnosis.reason(e) + ")"
                        + (taken.isEmpty() ? "" : "; ports held: " + taken) + "; trying again ...");
                try {
                    Thread.sleep(5_000L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StartFailedException("Interrupted while starting", interrupted);
                }
            }
        }
    }

    /**
     * Imports the bundled sample (the last seven days, seed 42) and creates one disabled listening query per
     * organisation of the sample, naming its accounts; returns the generator that made it.
     */
    public static SampleGenerator loadSample(PalabreStack stack, int size) throws Exception {
        return loadSample(stack.ingestUrl(), stack.admin(), size);
    }

    /** The same, through the ingest-service at {@code ingestUrl}, as {@code admin}. */
    static SampleGenerator loadSample(String ingestUrl, AdminCredentials admin, int size) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(7));
        SampleGenerator generator = new SampleGenerator(42, start, Duration.ofDays(7));
        SampleGenerator.Sample generated = generator.generate(size);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (SampleGenerator.Event e : generated.events()) {
            body.write(MAPPER.writeValueAsBytes(e.json()));
            body.write('\n');
        }
        say("Importing the bundled sample: " + generated.events().size() + " mentions in "
                + generated.conversations().size() + " conversations on 5 platforms ...");
        HttpResponse<String> response = PalabreStack.importNdjson(ingestUrl, admin.token(), body.toByteArray());
        JsonNode report = MAPPER.readTree(response.body());
        say("Import " + response.statusCode() + ": " + report.path("accepted").asLong() + " accepted, "
                + report.path("rejected").asLong() + " rejected");
        // One listening query per organisation of the sample, naming its accounts, so that dialogue metrics show.
        // Disabled: the sample is imported, not collected.
        for (SampleGenerator.Organisation o : generator.organisations()) {
            com.fasterxml.jackson.databind.node.ObjectNode query = MAPPER.createObjectNode();
            query.put("name", o.name());
            query.put("terms", "\"" + o.name() + "\"");
            query.putArray("hashtags");
            var accounts = query.putArray("accounts");
            var own = query.putArray("organisationAccounts");
            var platforms = query.putArray("platforms");
            for (SampleGenerator.Account a : o.accounts()) {
                accounts.add(a.id());
                own.add(a.id());
                platforms.add(a.platform());
            }
            query.put("enabled", false);
            HttpResponse<String> created = HttpClient.newHttpClient().send(admin.authorize(
                    HttpRequest.newBuilder(URI.create(ingestUrl + "/api/queries")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(query))).build(),
                    HttpResponse.BodyHandlers.ofString());
            say("Listening query \"" + o.name() + "\" with its " + o.accounts().length + " accounts: "
                    + created.statusCode());
        }
        return generator;
    }

    private static boolean tokenWorks(PalabreStack stack) throws Exception {
        HttpRequest request = stack.admin().authorize(HttpRequest.newBuilder(URI.create(stack.dashboardUrl()
                + "/api/session"))).timeout(Duration.ofSeconds(10)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private static boolean hasImports(PalabreStack stack) throws Exception {
        return hasImports(stack.ingestUrl(), stack.admin());
    }

    /** Whether the ingest-service at {@code ingestUrl} has made any import yet. */
    static boolean hasImports(String ingestUrl, AdminCredentials admin) throws Exception {
        JsonNode imports = MAPPER.readTree(get(admin, ingestUrl + "/api/imports?limit=1"));
        return imports.isArray() && !imports.isEmpty();
    }

    private static void awaitConversations(PalabreStack stack) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode page = MAPPER.readTree(get(stack, stack.dashboardUrl() + "/api/conversations?limit=1"));
            if (page.path("items").size() > 0) {
                return;
            }
            Thread.sleep(500);
        }
        say("No conversation yet: import some mentions (see README).");
    }

    private static void printTour(PalabreStack stack, Path credentialsFile, boolean firstStart) throws Exception {
        JsonNode analysis = MAPPER.readTree(get(stack, stack.analysisUrl() + "/api/analysis/status"));
        String d = stack.dashboardUrl();
        String file = credentialsFile.toString();
        System.out.println();
        System.out.println("Palabre is running. Ctrl-C stops it.");
        System.out.println();
        System.out.printf("  %d mentions, %d conversations, %d accounts analysed so far%n",
                analysis.path("mentions").asLong(), analysis.path("conversations").asLong(),
                analysis.path("accounts").asLong());
        System.out.println();
        System.out.println("  Dashboard (web UI):  " + d + "/");
        System.out.println("  Log in as " + stack.admin().username() + "; the password and an API token are in "
                + file + (firstStart ? " (made just now, readable by you only)" : "") + ":");
        System.out.println("    cat " + file);
        System.out.println("  More users and tokens:  ./palabre user add alice --role analyst   ./palabre user --help");
        System.out.println();
        System.out.println("  Every API call needs a token. In this shell:");
        System.out.println("    export PALABRE_TOKEN=$(sed -n 's/^token=//p' " + file + ")");
        String auth = "-H \"Authorization: Bearer $PALABRE_TOKEN\" ";
        System.out.println("  Conversations, most recent first:  curl -s " + auth + "'" + d + "/api/conversations?limit=5'");
        System.out.println("  Mentions on one platform:          curl -s " + auth + "'" + d + "/api/mentions?platform=mastodon'");
        System.out.println("  Most central accounts:             curl -s " + auth + "'" + d + "/api/accounts?sort=pagerank&limit=10'");
        System.out.println("  Relationship graph for Gephi:      curl -s " + auth + "-o palabre.gexf '" + d + "/api/graph?format=gexf'");
        System.out.println("  Dialogue of an organisation:       curl -s " + auth + "'" + d + "/api/dialogue/"
                + "mastodon:acmerail@mastodon.social?window=all'");
        System.out.println("  (graph metrics appear after analysis's first metrics run, within a minute)");
        System.out.println("  Import your own NDJSON:            curl -s " + auth + "-H 'Content-Type: application/x-ndjson' "
                + "--data-binary @file.ndjson '" + stack.ingestUrl() + "/api/imports?format=palabre'");
        System.out.println();
        System.out.println("  API documentation (after logging in):  " + d + "/q/swagger-ui");
        System.out.println("  Health: <service>/q/health (open)   Metrics: <service>/q/metrics (with a token)");
        System.out.println();
    }

    private static String get(PalabreStack stack, String url) throws Exception {
        return get(stack.admin(), url);
    }

    private static String get(AdminCredentials admin, String url) throws Exception {
        HttpRequest request = admin.authorize(HttpRequest.newBuilder(URI.create(url)))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .body();
    }

    private static int port(String variable, int defaultPort) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? defaultPort : Integer.parseInt(value.trim());
    }

    private static ExternalPostgres externalPostgres() {
        String url = System.getenv("PALABRE_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        String server = url.endsWith("/") ? url : url + "/";
        return new ExternalPostgres(server, envOr("PALABRE_POSTGRES_USER", "postgres"),
                envOr("PALABRE_POSTGRES_PASSWORD", ""));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    static void say(String line) {
        System.out.println("[palabre] " + line);
    }
}
