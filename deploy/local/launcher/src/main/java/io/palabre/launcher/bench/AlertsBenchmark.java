package io.palabre.launcher.bench;

import static io.palabre.launcher.bench.Bench.format;
import static io.palabre.launcher.bench.Bench.freePort;
import static io.palabre.launcher.bench.Bench.producer;
import static io.palabre.launcher.bench.Bench.say;
import static io.palabre.launcher.bench.Bench.serviceConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.palabre.launcher.AdminCredentials;
import io.palabre.launcher.Directories;
import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.ServiceProcess;
import io.palabre.sample.SampleGenerator;

/**
 * Alert rules evaluated while mentions arrive: the packaged dashboard-service reads generated mentions (published as
 * analysis-service would) at a fixed rate, first with no rule, then with {@code --rules} rules of the five types
 * over the sample's organisation accounts. Among them, probe rules each watch a hashtag of their own; a burst of
 * mentions with that hashtag is published now and then, and a webhook receiver in this JVM notes when each probe's
 * alert arrives. Reported: the machine's CPU per mention with and without the rules (the added cost), and the time
 * from a probe's last mention being published to its alert reaching the webhook (p50, p99, max).
 *
 * <pre>./palabre bench alerts [--rules 1000] [--probes 60] [--rate 5000] [--seconds 60] [--history 300000]</pre>
 */
public final class AlertsBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DATABASE = "palabre_dashboard";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Options options;
    private final Path home;
    private final Map<String, Long> probeSent = new ConcurrentHashMap<>();
    private final Map<String, Long> probeArrived = new ConcurrentHashMap<>();
    private final Map<String, Long> probeSentMillis = new ConcurrentHashMap<>();
    private LocalRuntimeProcess runtime;
    private String token;
    private SampleGenerator generator;
    private Set<String> organisation;
    private long sent;

    private AlertsBenchmark(Options options) {
        this.options = options;
        this.home = options.projectDir.resolve(".palabre").resolve("bench-alerts");
    }

    public static void main(String[] args) throws Exception {
        new AlertsBenchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        say("Machine: %d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        Path data = home.resolve("data");
        if (Files.exists(data)) {
            Directories.deleteTree(data);
        }
        Files.createDirectories(data);
        Path logs = home.resolve("logs");
        runtime = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(logs.resolve("runtime.log"), data, 0, 0,
                null, List.of(DATABASE)));
        AdminCredentials admin = AdminCredentials.draw();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/probe/", exchange -> {
            long now = System.nanoTime();
            String probe = exchange.getRequestURI().getPath().substring("/probe/".length());
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (body.contains("\"event\":\"fired\"")) {
                    probeArrived.putIfAbsent(probe, now);
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Map<String, String> figures = new LinkedHashMap<>();
        try (ServiceProcess dashboard = ServiceProcess.start(options.projectDir, "dashboard-service", freePort(),
                serviceConfig(runtime, DATABASE, Map.of("palabre.alerts.delivery.first-backoff", "1s")),
                admin.environment(), logs)) {
            dashboard.awaitReady(Duration.ofMinutes(5));
            token = admin.token();
            awaitAccepted(dashboard.url());
            Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            generator = new SampleGenerator(7, end.minus(Duration.ofDays(7)), Duration.ofDays(7));
            organisation = new HashSet<>();
            generator.organisations().forEach(o -> {
                for (SampleGenerator.Account a : o.accounts()) {
                    organisation.add(a.id());
                }
            });
            publishQueries();
            say("Loading %,d generated mentions of the last 7 days as history ...", options.history);
            long t0 = System.nanoTime();
            publishHistory(end);
            awaitStored(options.history, Duration.ofMinutes(30));
            say("History stored in %.0f s", (System.nanoTime() - t0) / 1e9);
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("vacuum analyze");
            }

            say("Phase 1: %,d mentions/s for %d s, no rule", options.rate, options.seconds);
            Phase without = stream(dashboard, false);
            say("  %s", without);

            say("Making %,d rules (%d probes) ...", options.rules, options.probes);
            List<Long> ids = makeRules(dashboard.url(), receiver.getAddress().getPort());
            long t1 = System.nanoTime();
            awaitEvaluated(dashboard.url(), ids);
            double firstPass = (System.nanoTime() - t1) / 1e9;
            say("Every rule evaluated once, %.1f s after they were made", firstPass);

            say("Phase 2: %,d mentions/s for %d s, %,d rules, a probe burst every %.1f s", options.rate,
                    options.seconds, options.rules, (double) options.seconds / options.probes);
            Phase with = stream(dashboard, true);
            say("  %s", with);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (probeArrived.size() < probeSent.size() && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            List<Double> latencies = new ArrayList<>();
            probeSent.forEach((probe, at) -> {
                Long arrived = probeArrived.get(probe);
                if (arrived != null) {
                    latencies.add((arrived - at) / 1e9);
                }
            });
            latencies.sort(null);
            double addedMicros = (with.cpuSecondsPerMention() - without.cpuSecondsPerMention()) * 1e6;
            figures.put("mentions/s published, without / with rules", format(without.rate()) + " / "
                    + format(with.rate()));
            figures.put("read model behind at the end (mentions), without / with", without.behind() + " / "
                    + with.behind());
            figures.put("machine CPU per mention, without rules (µs)", format(without.cpuSecondsPerMention() * 1e6));
            figures.put("machine CPU per mention, with rules (µs)", format(with.cpuSecondsPerMention() * 1e6));
            figures.put("added cost per mention (µs of CPU)", format(addedMicros));
            figures.put("dashboard-service CPU per mention, without / with (µs)",
                    format(without.serviceCpuPerMention() * 1e6) + " / " + format(with.serviceCpuPerMention() * 1e6));
            figures.put("first evaluation of every rule (s)", String.format("%.1f", firstPass));
            figures.put("probes: alerts arrived / bursts sent", latencies.size() + " / " + probeSent.size());
            figures.put("mention to alert at the webhook, p50 / p99 / max (s)", latencies.isEmpty() ? "none"
                    : String.format("%.2f / %.2f / %.2f", percentile(latencies, 0.5), percentile(latencies, 0.99),
                            latencies.get(latencies.size() - 1)));
            figures.putAll(probeSplit());
            figures.put("evaluation passes: count, mean, max (s)", evaluationPasses(dashboard.url()));
            figures.putAll(ruleTimes(dashboard.url()));
            figures.put("dashboard-service RSS after / peak, MB", Bench.rssMb(dashboard) + " / "
                    + Bench.peakRssMb(dashboard));
            say("");
            say("RESULTS");
            figures.forEach((k, v) -> say("  %-60s %s", k, v));
        } finally {
            receiver.stop(0);
            runtime.close();
        }
    }

    /** One phase's figures. */
    private record Phase(double rate, long mentions, double cpuSeconds, double serviceCpuSeconds, long behind) {

        double cpuSecondsPerMention() {
            return cpuSeconds / mentions;
        }

        double serviceCpuPerMention() {
            return serviceCpuSeconds / mentions;
        }

        @Override
        public String toString() {
            return String.format("%,.0f mentions/s published; machine CPU %.1f s (%.0f µs a mention), "
                    + "dashboard-service %.1f s; read model %,d behind at the end", rate, cpuSeconds,
                    cpuSecondsPerMention() * 1e6, serviceCpuSeconds, behind);
        }
    }

    /**
     * Publishes generated mentions, stamped now, at the rate for the phase's seconds (with probe bursts when asked),
     * waits until the read model has them, and measures the CPU the machine spent meanwhile.
     */
    private Phase stream(ServiceProcess dashboard, boolean probes) throws Exception {
        long target = (long) options.rate * options.seconds;
        long startStored = sent;
        long[] cpu0 = machineCpu();
        double service0 = processCpuSeconds(dashboard.pid());
        long t0 = System.nanoTime();
        int probe = 0;
        long count = 0;
        try (KafkaProducer<String, String> producer = producer(runtime.bootstrapServers())) {
            while (count < target) {
                long due = t0 + (long) (count * 1e9 / options.rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Instant now = Instant.now();
                List<SampleGenerator.Event> thread = generator.nextThread(now);
                DashboardBenchmark.Conversation conversation = new DashboardBenchmark.Conversation(thread.get(0));
                for (SampleGenerator.Event e : thread) {
                    ObjectNode threaded = DashboardBenchmark.threaded(restamped(e, now), conversation, organisation,
                            new HashMap<>());
                    producer.send(new ProducerRecord<>("threaded-mentions", conversation.id, threaded.toString()));
                }
                producer.send(new ProducerRecord<>("conversations", conversation.id, conversation.json()));
                count += thread.size();
                long elapsed = System.nanoTime() - t0;
                if (probes && probe < options.probes
                        && elapsed >= (long) ((probe + 0.5) * options.seconds * 1e9 / options.probes)) {
                    count += burst(producer, "p" + probe);
                    probe++;
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        sent += count;
        long behind = sent - stored();
        awaitStored(sent, Duration.ofMinutes(10));
        long[] cpu1 = machineCpu();
        double busy = (cpu1[0] - cpu0[0]) / (double) ticksPerSecond();
        double service = processCpuSeconds(dashboard.pid()) - service0;
        return new Phase(count / seconds, sent - startStored, busy, service, behind);
    }

    /** Three mentions with the probe's hashtag, now; the time the last was sent starts the probe's clock. */
    private int burst(KafkaProducer<String, String> producer, String probe) throws Exception {
        for (int i = 0; i < 3; i++) {
            String id = "x:bench-probe-" + probe + "-" + i;
            Instant now = Instant.now();
            ObjectNode m = MAPPER.createObjectNode().put("id", id).put("platform", "x").put("kind", "post")
                    .putNull("url").put("createdAt", now.toString());
            m.putObject("author").put("id", "x:prober" + i).put("handle", "prober" + i).putNull("displayName")
                    .put("bot", false);
            m.put("text", "#" + probeTag(probe)).put("lang", "en").putNull("replyTo").put("conversationId", id);
            m.putArray("mentions");
            m.putArray("hashtags").add(probeTag(probe));
            m.putArray("links");
            m.putNull("quoteOf").putNull("repostOf");
            m.putObject("source").put("connector", "bench").putNull("query").put("capturedAt", now.toString());
            ObjectNode t = MAPPER.createObjectNode().put("conversationId", id).put("deleted", false)
                    .put("edited", false).put("lang", "en").put("langDetected", false);
            t.putArray("hashtags").add(probeTag(probe));
            t.putArray("links");
            t.putArray("relationships");
            t.put("postedAt", now.toString()).put("version", 1);
            t.set("mention", m);
            producer.send(new ProducerRecord<>("threaded-mentions", id, t.toString())).get();
        }
        probeSent.put(probe, System.nanoTime());
        probeSentMillis.put(probe, System.currentTimeMillis());
        return 3;
    }

    private static String probeTag(String probe) {
        return "benchprobe" + probe;
    }

    /** The event with its time set to {@code at}, as if it were captured now. */
    private static SampleGenerator.Event restamped(SampleGenerator.Event e, Instant at) {
        ObjectNode json = e.json().deepCopy();
        json.put("createdAt", at.toString());
        return new SampleGenerator.Event(e.id(), e.conversationId(), e.kind(), at, json);
    }

    private void publishHistory(Instant end) throws Exception {
        Instant start = end.minus(Duration.ofDays(7));
        try (KafkaProducer<String, String> producer = producer(runtime.bootstrapServers())) {
            Map<String, long[]> relationships = new HashMap<>();
            while (sent < options.history) {
                Instant at = start.plusMillis((long) ((double) sent / options.history * Duration.ofDays(7)
                        .toMillis()));
                List<SampleGenerator.Event> thread = generator.nextThread(at);
                DashboardBenchmark.Conversation conversation = new DashboardBenchmark.Conversation(thread.get(0));
                for (SampleGenerator.Event e : thread) {
                    producer.send(new ProducerRecord<>("threaded-mentions", conversation.id,
                            DashboardBenchmark.threaded(e, conversation, organisation, relationships).toString()));
                }
                producer.send(new ProducerRecord<>("conversations", conversation.id, conversation.json()));
                sent += thread.size();
            }
            for (Map.Entry<String, long[]> r : relationships.entrySet()) {
                String[] key = r.getKey().split("\\|", 3);
                ObjectNode json = MAPPER.createObjectNode().put("sourceId", key[1]).put("targetId", key[2])
                        .put("type", key[0]).put("weight", r.getValue()[0])
                        .put("firstSeenAt", Instant.ofEpochMilli(r.getValue()[1]).toString())
                        .put("lastSeenAt", Instant.ofEpochMilli(r.getValue()[2]).toString()).put("version", 1);
                producer.send(new ProducerRecord<>("relationships", r.getKey(), json.toString()));
            }
            producer.flush();
        }
    }

    /** The listening queries naming the sample's organisation accounts, as ingest-service publishes them. */
    private void publishQueries() throws Exception {
        try (KafkaProducer<String, String> producer = producer(runtime.bootstrapServers())) {
            int n = 0;
            for (SampleGenerator.Organisation o : generator.organisations()) {
                ObjectNode q = MAPPER.createObjectNode().put("id", "bench-" + n).put("name", o.name())
                        .put("terms", o.name());
                q.putArray("hashtags");
                q.putArray("accounts");
                q.putArray("platforms");
                ArrayNode own = q.putArray("organisationAccounts");
                for (SampleGenerator.Account a : o.accounts()) {
                    own.add(a.id());
                }
                q.put("enabled", true).put("version", 1).put("createdAt", Instant.now().toString())
                        .put("updatedAt", Instant.now().toString());
                producer.send(new ProducerRecord<>("queries", "bench-" + n, q.toString())).get();
                n++;
            }
        }
    }

    /**
     * Makes the rules: the probes (a volume-spike rule each, on a hashtag of its own, delivered to the receiver),
     * then the others, in turn of the five types, over the organisation accounts and the sample's hashtags, with
     * varied thresholds and no channel but the UI.
     */
    private List<Long> makeRules(String url, int receiverPort) throws Exception {
        List<String> accounts = new ArrayList<>(organisation);
        accounts.sort(null);
        List<String> hashtags = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select value from tag_daily where kind = 'hashtags' group by value order by sum(mentions) desc "
                        + "limit 50")) {
            while (rs.next()) {
                hashtags.add(rs.getString(1));
            }
        }
        List<Long> ids = new ArrayList<>();
        for (int p = 0; p < options.probes; p++) {
            ObjectNode r = MAPPER.createObjectNode().put("name", "probe " + p).put("type", "volume-spike")
                    .put("hashtag", probeTag("p" + p)).put("threshold", 1).put("minCount", 3)
                    .put("webhookUrl", "http://127.0.0.1:" + receiverPort + "/probe/p" + p);
            ids.add(post(url, r));
        }
        String[] types = { "unanswered", "response-rate", "volume-spike", "conversation-growth", "pagerank-top" };
        for (int i = 0; ids.size() < options.rules; i++) {
            String type = types[i % types.length];
            ObjectNode r = MAPPER.createObjectNode().put("name", type + " " + i).put("type", type);
            switch (type) {
                case "unanswered" -> r.put("accountId", accounts.get(i % accounts.size()))
                        .put("threshold", 30 + i % 300);
                case "response-rate" -> r.put("accountId", accounts.get(i % accounts.size()))
                        .put("threshold", 0.1 + (i % 9) / 10.0).put("windowMinutes", 60 * (1 + i % 48));
                case "volume-spike" -> r.put("hashtag", hashtags.isEmpty() ? null : hashtags.get(i % hashtags.size()))
                        .put("threshold", 2 + i % 5).put("minCount", 5 + i % 50);
                case "conversation-growth" -> r.put("accountId", accounts.get(i % accounts.size()))
                        .put("threshold", 5 + i % 50);
                default -> r.put("accountId", accounts.get(i % accounts.size())).put("threshold", 1 + i % 20);
            }
            ids.add(post(url, r));
        }
        return ids;
    }

    private long post(String url, ObjectNode rule) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/alerts/rules"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rule.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("Rule refused: " + r.statusCode() + " " + r.body());
        }
        return MAPPER.readTree(r.body()).get("id").asLong();
    }

    private void awaitEvaluated(String url, List<Long> ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode rules = get(url + "/api/alerts/rules");
            int evaluated = 0;
            for (JsonNode r : rules) {
                evaluated += r.hasNonNull("evaluatedAt") ? 1 : 0;
            }
            if (evaluated >= ids.size()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("The rules were not all evaluated within 10 minutes");
    }

    /** Where a probe's time went: from its last mention to the alert firing, and from firing to delivery. */
    private Map<String, String> probeSplit() throws Exception {
        List<Double> toFire = new ArrayList<>();
        List<Double> toDeliver = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select r.name, extract(epoch from a.fired_at) * 1000, extract(epoch from d.delivered_at) * 1000 "
                        + "from alert a join alert_rule r on r.id = a.rule_id join alert_delivery d on "
                        + "d.alert_id = a.id where r.name like 'probe %' and d.event = 'fired'")) {
            while (rs.next()) {
                Long sentAt = probeSentMillis.get("p" + rs.getString(1).substring("probe ".length()));
                if (sentAt != null) {
                    toFire.add((rs.getDouble(2) - sentAt) / 1000);
                    if (rs.getObject(3) != null) {
                        toDeliver.add((rs.getDouble(3) - rs.getDouble(2)) / 1000);
                    }
                }
            }
        }
        toFire.sort(null);
        toDeliver.sort(null);
        Map<String, String> split = new LinkedHashMap<>();
        split.put("  of which: mention to firing, p50 / p99 (s)", toFire.isEmpty() ? "none" : String.format(
                "%.2f / %.2f", percentile(toFire, 0.5), percentile(toFire, 0.99)));
        split.put("  of which: firing to delivered, p50 / p99 (s)", toDeliver.isEmpty() ? "none" : String.format(
                "%.2f / %.2f", percentile(toDeliver, 0.5), percentile(toDeliver, 0.99)));
        return split;
    }

    /** The time finding each type's conditions took, from the service's metrics: evaluations and mean ms. */
    private Map<String, String> ruleTimes(String url) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> byType = new java.util.TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("palabre_alerts_rule_evaluation_seconds_count{")
                    || line.startsWith("palabre_alerts_rule_evaluation_seconds_sum{")) {
                String type = line.replaceAll(".*type=\"([^\"]+)\".*", "$1");
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                byType.computeIfAbsent(type, k -> new double[2])[line.contains("_count{") ? 0 : 1] = value;
            }
        }
        Map<String, String> times = new LinkedHashMap<>();
        byType.forEach((type, v) -> times.put("  finding conditions, " + type + ": evaluations, mean ms, total s",
                String.format("%.0f, %.1f, %.1f", v[0], v[0] == 0 ? 0 : v[1] / v[0] * 1000, v[1])));
        return times;
    }

    /** The evaluation timer from the service's Prometheus metrics: passes, mean and max seconds. */
    private String evaluationPasses(String url) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
        double count = 0;
        double sum = 0;
        double max = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("palabre_alerts_evaluation_seconds_count")) {
                count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("palabre_alerts_evaluation_seconds_sum")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("palabre_alerts_evaluation_seconds_max")) {
                max = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return String.format("%.0f, %.2f, %.2f", count, count == 0 ? 0 : sum / count, max);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(r.body());
    }

    private void awaitAccepted(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/session"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("dashboard-service does not accept the benchmark's admin token");
    }

    private void awaitStored(long count, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (stored() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The read model has " + stored() + " of " + count + " mentions");
            }
            Thread.sleep(500);
        }
    }

    private long stored() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from mention")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(runtime.jdbcUrl(DATABASE), runtime.postgresUser(),
                runtime.postgresPassword());
    }

    /** The machine's busy and total CPU time so far, in clock ticks (/proc/stat). */
    private static long[] machineCpu() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] { total - idle, total };
    }

    /** A process's user and system CPU time so far, in seconds (/proc/pid/stat). */
    private static double processCpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) ticksPerSecond();
    }

    private static long ticksPerSecond() {
        return 100; // USER_HZ on Linux
    }

    private static double percentile(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    /** Command-line options. */
    private static final class Options {
        int rules = 1000;
        int probes = 60;
        int rate = 5000;
        int seconds = 60;
        long history = 300_000;
        Path projectDir = Path.of("").toAbsolutePath();

        static Options parse(String[] args) {
            Map<String, String> given = Bench.options(args, Set.of("--rules", "--probes", "--rate", "--seconds",
                    "--history", "--project-dir"), Set.of());
            Options o = new Options();
            o.rules = Integer.parseInt(given.getOrDefault("--rules", Integer.toString(o.rules)));
            o.probes = Integer.parseInt(given.getOrDefault("--probes", Integer.toString(o.probes)));
            o.rate = Integer.parseInt(given.getOrDefault("--rate", Integer.toString(o.rate)));
            o.seconds = Integer.parseInt(given.getOrDefault("--seconds", Integer.toString(o.seconds)));
            o.history = Long.parseLong(given.getOrDefault("--history", Long.toString(o.history)));
            o.projectDir = Path.of(given.getOrDefault("--project-dir", "")).toAbsolutePath();
            if (o.probes >= o.rules) {
                throw new IllegalArgumentException("--probes must be fewer than --rules");
            }
            return o;
        }
    }
}
