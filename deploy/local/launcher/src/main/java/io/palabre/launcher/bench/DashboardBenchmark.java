package io.palabre.launcher.bench;

import static io.palabre.launcher.bench.Bench.format;
import static io.palabre.launcher.bench.Bench.freePort;
import static io.palabre.launcher.bench.Bench.peakRssMb;
import static io.palabre.launcher.bench.Bench.producer;
import static io.palabre.launcher.bench.Bench.rssMb;
import static io.palabre.launcher.bench.Bench.say;
import static io.palabre.launcher.bench.Bench.serviceConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.launcher.Directories;
import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.AdminCredentials;
import io.palabre.launcher.ServiceProcess;
import io.palabre.sample.SampleGenerator;

/**
 * The dashboard's read model at scale: the sample generator's threads, as analysis-service would publish them
 * (threaded mentions, conversations, relationships), go through the broker into the packaged dashboard-service,
 * which stores them as it always does. Then {@link HttpLoad}, in a second JVM, sends a mix of analysts' requests
 * and prints latency per class and throughput.
 *
 * <pre>./palabre bench dashboard [--mentions 10000000] [--days 365] [--rate 2000] [--seconds 60]
 *     [--connections 64] [--reuse]</pre>
 *
 * With {@code --reuse} the read model of the previous run (kept in .palabre/bench-dashboard) is load-tested again
 * without reloading it.
 */
public final class DashboardBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DATABASE = "palabre_dashboard";

    private final Options options;
    private final Path home;
    private LocalRuntimeProcess runtime;

    private DashboardBenchmark(Options options) {
        this.options = options;
        this.home = options.projectDir.resolve(".palabre").resolve("bench-dashboard");
    }

    public static void main(String[] args) throws Exception {
        new DashboardBenchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        say("Machine: %d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        Path data = home.resolve("data");
        boolean reuse = options.reuse && Files.isDirectory(data);
        if (!reuse && Files.exists(data)) {
            Directories.deleteTree(data);
        }
        Files.createDirectories(data);
        Path logs = home.resolve("logs");
        runtime = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(logs.resolve("runtime.log"), data, 0, 0,
                null, List.of(DATABASE)));
        Map<String, String> figures = new LinkedHashMap<>();
        // The read model's first admin, kept beside it so that a --reuse run can call the API as before.
        Path credentials = home.resolve("admin-credentials");
        AdminCredentials admin = (reuse ? AdminCredentials.read(credentials) : java.util.Optional.<AdminCredentials> empty())
                .orElseGet(AdminCredentials::draw);
        admin.write(credentials);
        try (ServiceProcess dashboard = ServiceProcess.start(options.projectDir, "dashboard-service", freePort(),
                serviceConfig(runtime, DATABASE, Map.of()), admin.environment(), logs)) {
            // A new migration on a loaded read model (an index over 10M rows) takes minutes before the service is up.
            dashboard.awaitReady(Duration.ofMinutes(20));
            token = awaitToken(dashboard, admin);
            if (!reuse) {
                figures.putAll(load(options.mentions));
            }
            try (Connection c = connect(); Statement s = c.createStatement()) {
                figures.put("mentions in the read model", format(count(s, "select count(*) from mention")));
                figures.put("conversations", format(count(s, "select count(*) from conversation")));
                figures.put("accounts / relationships", format(count(s, "select count(*) from account")) + " / "
                        + format(count(s, "select count(*) from relationship")));
                figures.put("database size, MB", format(count(s, "select pg_database_size(current_database())")
                        / 1e6));
            }
            Path ids = home.resolve("ids.json");
            writeIds(ids);
            figures.put("dashboard-service RSS before the load test, MB", Long.toString(rssMb(dashboard)));
            List<String> results = loadTest(dashboard.url(), ids);
            figures.put("dashboard-service RSS after / peak, MB", rssMb(dashboard) + " / " + peakRssMb(dashboard));
            say("");
            say("RESULTS (read model)");
            figures.forEach((k, v) -> say("  %-52s %s", k, v));
            say("RESULTS (requests, from HttpLoad)");
            results.forEach(line -> say("  %s", line));
        } finally {
            runtime.close();
        }
    }

    /** Publishes {@code target} generated mentions as analysis results and waits until the dashboard stored them. */
    private Map<String, String> load(long target) throws Exception {
        say("Publishing %,d generated mentions as analysis results (threaded mentions, conversations, "
                + "relationships) ...", target);
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant start = end.minus(Duration.ofDays(options.days));
        SampleGenerator generator = new SampleGenerator(42, start, Duration.ofDays(options.days));
        Set<String> organisation = new HashSet<>();
        generator.organisations().forEach(o -> {
            for (SampleGenerator.Account a : o.accounts()) {
                organisation.add(a.id());
            }
        });
        Map<String, long[]> relationships = new HashMap<>(); // type|source|target -> weight, first, last
        long sent = 0;
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        long lastReport = t0;
        try (KafkaProducer<String, String> producer = producer(runtime.bootstrapServers())) {
            while (sent < target) {
                Instant at = start.plusMillis((long) ((double) sent / target * Duration.ofDays(options.days)
                        .toMillis()));
                List<SampleGenerator.Event> thread = generator.nextThread(at);
                Conversation conversation = new Conversation(thread.get(0));
                for (SampleGenerator.Event e : thread) {
                    ObjectNode threaded = threaded(e, conversation, organisation, relationships);
                    producer.send(new ProducerRecord<>("threaded-mentions", conversation.id, threaded.toString()),
                            (m, error) -> {
                                if (error != null) {
                                    failed.incrementAndGet();
                                }
                            });
                }
                producer.send(new ProducerRecord<>("conversations", conversation.id, conversation.json()));
                sent += thread.size();
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    lastReport = System.nanoTime();
                    say("  published %,d (%,.0f/s); dashboard has %,d", sent, sent / ((lastReport - t0) / 1e9),
                            stored());
                }
            }
            long version = 1;
            for (Map.Entry<String, long[]> r : relationships.entrySet()) {
                String[] key = r.getKey().split("\\|", 3);
                ObjectNode json = MAPPER.createObjectNode().put("sourceId", key[1]).put("targetId", key[2])
                        .put("type", key[0]).put("weight", r.getValue()[0])
                        .put("firstSeenAt", Instant.ofEpochMilli(r.getValue()[1]).toString())
                        .put("lastSeenAt", Instant.ofEpochMilli(r.getValue()[2]).toString()).put("version", version);
                producer.send(new ProducerRecord<>("relationships", r.getKey(), json.toString()));
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be published");
        }
        double publishSeconds = (System.nanoTime() - t0) / 1e9;
        say("Published %,d mentions and %,d relationships in %.0f s; waiting for the dashboard ...", sent,
                relationships.size(), publishSeconds);
        while (stored() < sent) {
            Thread.sleep(5000);
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                lastReport = System.nanoTime();
                say("  dashboard has %,d of %,d (%,.0f/s since the start)", stored(), sent,
                        stored() / ((lastReport - t0) / 1e9));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        say("The dashboard stored %,d mentions in %.0f s: %,.0f mentions/s", sent, seconds, sent / seconds);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("vacuum analyze"); // as autovacuum would after a bulk load; the planner needs statistics
        }
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("load: mentions stored per second (publish to stored)", format(sent / seconds));
        return figures;
    }

    /** The threaded-mentions record analysis-service would publish for a generated mention. */
    static ObjectNode threaded(SampleGenerator.Event e, Conversation conversation, Set<String> organisation,
            Map<String, long[]> relationships) {
        JsonNode m = e.json();
        String author = m.get("author").get("id").asText();
        conversation.add(e, author, organisation.contains(author));
        Map<String, String> targets = new LinkedHashMap<>(); // target -> type, one relationship per pair
        String parentAuthor = m.hasNonNull("replyTo") ? m.get("replyTo").path("authorId").asText(null) : null;
        if (parentAuthor != null) {
            targets.put(parentAuthor, "reply");
        }
        for (JsonNode named : m.path("mentions")) {
            targets.putIfAbsent(named.get("id").asText(), "mention");
        }
        targets.remove(author);
        ObjectNode threaded = MAPPER.createObjectNode();
        threaded.put("conversationId", conversation.id).put("deleted", false).put("edited", false)
                .put("lang", m.path("lang").asText(null)).put("langDetected", false);
        threaded.set("hashtags", m.path("hashtags").deepCopy());
        threaded.set("links", m.path("links").deepCopy());
        ArrayNode rels = threaded.putArray("relationships");
        long at = e.createdAt().toEpochMilli();
        targets.forEach((target, type) -> {
            rels.addObject().put("type", type).put("accountId", target);
            relationships.merge(type + "|" + author + "|" + target, new long[] { 1, at, at }, (a, b) -> {
                a[0]++;
                a[1] = Math.min(a[1], b[1]);
                a[2] = Math.max(a[2], b[2]);
                return a;
            });
        });
        threaded.set("mention", m);
        return threaded;
    }

    /** A thread's conversation aggregate, as analysis-service computes it for a complete thread. */
    static final class Conversation {
        final String id;
        final Map<String, Integer> depth = new HashMap<>();
        final Map<String, Integer> children = new HashMap<>();
        final Set<String> authors = new HashSet<>();
        final Set<String> languages = new LinkedHashSet<>();
        final String platform;
        Instant first;
        Instant last;
        int size;
        int maxDepth;
        boolean organisationTookPart;

        Conversation(SampleGenerator.Event root) {
            this.id = root.id();
            this.platform = root.json().get("platform").asText();
        }

        void add(SampleGenerator.Event e, String author, boolean organisation) {
            JsonNode m = e.json();
            String parent = m.hasNonNull("replyTo") ? m.get("replyTo").get("id").asText() : null;
            int d = parent == null ? 0 : depth.getOrDefault(parent, 0) + 1;
            depth.put(e.id(), d);
            if (parent != null) {
                children.merge(parent, 1, Integer::sum);
            }
            maxDepth = Math.max(maxDepth, d);
            authors.add(author);
            if (m.hasNonNull("lang")) {
                languages.add(m.get("lang").asText());
            }
            first = first == null || e.createdAt().isBefore(first) ? e.createdAt() : first;
            last = last == null || e.createdAt().isAfter(last) ? e.createdAt() : last;
            organisationTookPart |= organisation;
            size++;
        }

        String json() {
            ObjectNode c = MAPPER.createObjectNode().put("id", id).put("rootPresent", true).put("size", size)
                    .put("depth", maxDepth).put("participants", authors.size());
            c.putArray("platforms").add(platform);
            ArrayNode langs = c.putArray("languages");
            languages.forEach(langs::add);
            c.put("firstActivityAt", first.toString()).put("lastActivityAt", last.toString())
                    .put("maxBranching", children.values().stream().mapToInt(Integer::intValue).max().orElse(0))
                    .put("organisationTookPart", organisationTookPart);
            c.putArray("mergedFrom");
            c.put("updatedAt", last.toString());
            return c.toString();
        }
    }

    /** Ids to request, drawn at random from the read model, for {@link HttpLoad}. */
    private void writeIds(Path file) throws Exception {
        ObjectNode ids = MAPPER.createObjectNode();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            ids.set("mentions", column(s, "select id from mention tablesample system (0.5) limit 5000"));
            ids.set("conversations", column(s, "select id from conversation tablesample system (2) limit 5000"));
            ids.set("accounts", column(s, "select id from account order by random() limit 2000"));
        }
        Files.writeString(file, ids.toString());
    }

    private static ArrayNode column(Statement s, String sql) throws SQLException {
        ArrayNode values = MAPPER.createArrayNode();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private String token;

    /** The token the load test sends, once the dashboard accepts it. */
    private static String awaitToken(ServiceProcess dashboard, AdminCredentials admin) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            java.net.http.HttpRequest request = admin.authorize(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(dashboard.url() + "/api/session"))).build();
            if (http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return admin.token();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("dashboard-service does not accept the benchmark's admin token; a --reuse "
                + "run needs the admin-credentials file of the run that made the read model");
    }

    /** Runs {@link HttpLoad} in its own JVM and returns its report. */
    private List<String> loadTest(String url, Path ids) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                HttpLoad.class.getName(), "--url", url, "--ids", ids.toString(), "--rate",
                Integer.toString(options.rate), "--seconds", Integer.toString(options.seconds), "--connections",
                Integer.toString(options.connections), "--max-in-flight", Integer.toString(options.maxInFlight),
                "--timeout", Integer.toString(options.timeout));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PALABRE_TOKEN", token);
        Process load = builder.start();
        List<String> report = new ArrayList<>();
        boolean inReport = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(load.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                say("[load] %s", line);
                if (line.equals("REPORT")) {
                    inReport = true;
                } else if (inReport) {
                    report.add(line);
                }
            }
        }
        if (load.waitFor() != 0) {
            throw new IllegalStateException("The load test failed (exit " + load.exitValue() + ")");
        }
        return report;
    }

    private long stored() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // The planner's estimate would do for progress, but the end condition must be exact.
            return count(s, "select count(*) from mention");
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(runtime.jdbcUrl(DATABASE), runtime.postgresUser(),
                runtime.postgresPassword());
    }

    /** Command-line options. */
    private static final class Options {
        long mentions = 10_000_000;
        int days = 365;
        int rate = 2_000;
        int seconds = 60;
        int connections = 64;
        int maxInFlight = 512;
        int timeout = 10;
        boolean reuse;
        Path projectDir = Path.of("").toAbsolutePath();

        static Options parse(String[] args) {
            Map<String, String> given = Bench.options(args, Set.of("--mentions", "--days", "--rate", "--seconds",
                    "--connections", "--max-in-flight", "--timeout", "--project-dir"), Set.of("--reuse"));
            Options o = new Options();
            o.mentions = Long.parseLong(given.getOrDefault("--mentions", Long.toString(o.mentions)));
            o.days = Integer.parseInt(given.getOrDefault("--days", Integer.toString(o.days)));
            o.rate = Integer.parseInt(given.getOrDefault("--rate", Integer.toString(o.rate)));
            o.seconds = Integer.parseInt(given.getOrDefault("--seconds", Integer.toString(o.seconds)));
            o.connections = Integer.parseInt(given.getOrDefault("--connections", Integer.toString(o.connections)));
            o.maxInFlight = Integer.parseInt(given.getOrDefault("--max-in-flight", Integer.toString(o.maxInFlight)));
            o.timeout = Integer.parseInt(given.getOrDefault("--timeout", Integer.toString(o.timeout)));
            o.reuse = given.containsKey("--reuse");
            o.projectDir = Path.of(given.getOrDefault("--project-dir", "")).toAbsolutePath();
            return o;
        }
    }
}
