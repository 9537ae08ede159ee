package io.palabre.launcher.bench;

import static io.palabre.launcher.bench.Bench.format;
import static io.palabre.launcher.bench.Bench.freePort;
import static io.palabre.launcher.bench.Bench.peakRssMb;
import static io.palabre.launcher.bench.Bench.producer;
import static io.palabre.launcher.bench.Bench.say;
import static io.palabre.launcher.bench.Bench.serviceConfig;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.launcher.Directories;
import io.palabre.launcher.ConsumerLag;
import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.ServiceProcess;
import io.palabre.sample.SampleGenerator;

/**
 * Analysis throughput and latency on this machine, everything on the box: a real broker and PostgreSQL, the
 * packaged analysis-service and dashboard-service, fed by the sample generator. Phases:
 * <ol>
 * <li>backlog: publish N mentions, then time a bare Java pipeline (plain KafkaConsumer, COPY into one table) on
 * them, then time analysis-service draining the same backlog (stored, threaded, relationships updated);</li>
 * <li>sustained: stream at a steady rate for a while and report what analysis-service kept up with;</li>
 * <li>latency: with dashboard-service running, stream at a lower rate; report p50 / p99 from publication to the
 * row in the dashboard's read model.</li>
 * </ol>
 *
 * <pre>./palabre bench analysis [--backlog 1000000] [--rate 10000] [--seconds 60] [--latency-rate 5000]
 *     [--latency-seconds 30] [--replicas 1]</pre>
 *
 * <p>With {@code --replicas N}, N analysis-service processes share the consumer group (over six partitions instead
 * of three), and the benchmark reports how the partitions and the records were shared among them.
 */
public final class AnalysisBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GROUP = "analysis-service";

    private final Options options;
    private final Path projectDir;
    private final Path logs;
    private LocalRuntimeProcess runtime;
    private int streams;

    private AnalysisBenchmark(Options options) {
        this.options = options;
        this.projectDir = options.projectDir;
        this.logs = options.projectDir.resolve(".palabre").resolve("bench-logs");
    }

    public static void main(String[] args) throws Exception {
        new AnalysisBenchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        say("Machine: %d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        Path data = Files.createTempDirectory("palabre-bench-");
        runtime = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(logs.resolve("runtime.log"), data, 0, 0,
                null, List.of("palabre_analysis", "palabre_dashboard", "bench_baseline"), true,
                options.replicas > 1 ? List.of("--partitions", "6") : List.of()));
        try {
            Map<String, String> figures = new LinkedHashMap<>();
            long published = publishBacklog(options.backlog);
            double baseline = baseline(published);
            figures.put("baseline (KafkaConsumer + COPY), mentions/s", format(baseline));

            List<ServiceProcess> replicas = new ArrayList<>();
            for (int i = 0; i < options.replicas; i++) {
                // Its metrics open (it listens on 127.0.0.1 only): the benchmark reads where batches spend time.
                replicas.add(ServiceProcess.start(projectDir, "analysis-service", freePort(),
                        serviceConfig(runtime, "palabre_analysis",
                                Map.of("quarkus.http.auth.permission.metrics.policy", "permit",
                                        "mp.messaging.incoming.mentions.client-id-prefix", "replica-" + (i + 1) + "/")),
                        options.replicas == 1 ? logs : logs.resolve("replica-" + (i + 1))));
            }
            ServiceProcess analysis = replicas.get(0);
            try {
                for (ServiceProcess replica : replicas) {
                    replica.awaitReady(Duration.ofSeconds(180));
                }
                long storedAtReady = stored();
                Map<Integer, Long> offsetsAtReady = ConsumerLag.committedByPartition(runtime.bootstrapServers(), GROUP,
                        "mentions");
                long t0 = System.nanoTime();
                awaitLag(GROUP, 0, Duration.ofHours(2), true);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double drain = (published - storedAtReady) / seconds;
                say("analysis-service (%d replica%s) drained %,d mentions in %.1f s: %,.0f mentions/s "
                        + "(%.2f x baseline)",
                        options.replicas, options.replicas == 1 ? "" : "s", published - storedAtReady, seconds, drain,
                        drain / baseline);
                figures.put("backlog drain, mentions/s", format(drain));
                figures.put("backlog drain / baseline", String.format(Locale.ROOT, "%.2f", drain / baseline));
                if (options.replicas > 1) {
                    figures.put("partition balance (partitions: records drained)", balance(offsetsAtReady));
                }
                say("Where the drain's batches spent their time (threading steps, all replicas):");
                threadingSteps(replicas).forEach((step, total) -> say("  %-18s %7.1f s", step, total));
                Map<String, Double> afterDrain = metricTotals(replicas, RECORDS);
                figures.put("drain: records threaded by their partition / alone / routed", records(afterDrain,
                        Map.of()));

                if (options.seconds > 0) {
                    double sustained = sustained(options.rate, options.seconds);
                    figures.put("sustained at " + options.rate + "/s offered, mentions/s processed", format(sustained));
                    figures.put("sustained: records threaded by their partition / alone / routed",
                            records(metricTotals(replicas, RECORDS), afterDrain));
                }

                if (options.latencySeconds > 0) {
                    ServiceProcess dashboard = ServiceProcess.start(projectDir, "dashboard-service", freePort(),
                            serviceConfig(runtime, "palabre_dashboard",
                                    Map.of("mp.messaging.incoming.analysis-results.auto.offset.reset", "latest")),
                            logs);
                    try {
                        dashboard.awaitReady(Duration.ofSeconds(180));
                        figures.putAll(latency(options.latencyRate, options.latencySeconds));
                    } finally {
                        dashboard.close();
                    }
                }
                figures.put("analysis-service peak RSS, MB", Long.toString(peakRssMb(analysis)));
            } finally {
                replicas.forEach(ServiceProcess::close);
            }
            say("");
            say("RESULTS");
            figures.forEach((k, v) -> say("  %-58s %s", k, v));
        } finally {
            runtime.close();
            Directories.deleteTree(data); // the broker's and PostgreSQL's files: gigabytes per run
        }
    }

    private long publishBacklog(long count) throws Exception {
        say("Publishing a backlog of %,d generated mentions ...", count);
        SampleGenerator generator = new SampleGenerator(42, Instant.parse("2026-06-01T00:00:00Z"), Duration.ofDays(30));
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        long t0 = System.nanoTime();
        long sent = 0;
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, String> producer = producer(runtime.bootstrapServers())) {
            Deque<SampleGenerator.Event> pending = new ArrayDeque<>();
            while (sent < count) {
                if (pending.isEmpty()) {
                    at = at.plusSeconds(7);
                    pending.addAll(generator.nextThread(at));
                }
                SampleGenerator.Event e = pending.poll();
                producer.send(new ProducerRecord<>("mentions", e.key(), MAPPER.writeValueAsString(e.json())),
                        (meta, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
                sent++;
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be published");
        }
        say("  published in %.1f s", (System.nanoTime() - t0) / 1e9);
        return sent;
    }

    /** A bare pipeline: plain consumer, one COPY per poll into one table, offsets committed after it. */
    private double baseline(long expected) throws Exception {
        say("Baseline: KafkaConsumer + COPY into one table ...");
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-baseline");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (Connection c = connect("bench_baseline");
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists mention_copy (topic_partition int, record_offset bigint, "
                        + "record_key text, payload text)");
            }
            c.setAutoCommit(false);
            consumer.subscribe(List.of("mentions"));
            long copied = 0;
            long t0 = 0;
            StringBuilder csv = new StringBuilder();
            while (copied < expected) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                if (t0 == 0) {
                    t0 = System.nanoTime();
                }
                csv.setLength(0);
                for (ConsumerRecord<String, String> r : records) {
                    csv.append(r.partition()).append(',').append(r.offset()).append(',');
                    quote(csv, r.key()).append(',');
                    quote(csv, r.value()).append('\n');
                }
                ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI().copyIn(
                        "copy mention_copy from stdin with (format csv)", new StringReader(csv.toString()));
                c.commit();
                consumer.commitSync();
                copied += records.count();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = copied / seconds;
            say("  copied %,d records in %.1f s: %,.0f/s", copied, seconds, rate);
            return rate;
        }
    }

    private double sustained(int rate, int seconds) throws Exception {
        say("Sustained: streaming %,d mentions/s for %d s ...", rate, seconds);
        long before = committed(GROUP);
        long t0 = System.nanoTime();
        long maxLag = 0;
        long sent = 0;
        long total = (long) rate * seconds;
        // A new seed and new post numbers for each stream: the accounts are the same, and a post number already used
        // by the backlog or an earlier stream would make the same id, which analysis takes as another version of that
        // post (its relationships recounted), not as a new one.
        streams++;
        SampleGenerator generator = new SampleGenerator(42 + streams, Instant.now(), Duration.ofDays(1))
                .startingAt(streams * 1_000_000_000L);
        Deque<SampleGenerator.Event> pending = new ArrayDeque<>();
        long lastCheck = t0;
        try (KafkaProducer<String, String> producer = producer(runtime.bootstrapServers())) {
            while (sent < total) {
                long due = Math.min(total, (long) ((System.nanoTime() - t0) / 1e9 * rate) + 1);
                while (sent < due) {
                    if (pending.isEmpty()) {
                        pending.addAll(generator.nextThread(Instant.now()));
                    }
                    SampleGenerator.Event e = pending.poll();
                    e.json().put("createdAt", Instant.now().toString());
                    producer.send(new ProducerRecord<>("mentions", e.key(), MAPPER.writeValueAsString(e.json())));
                    sent++;
                }
                long now = System.nanoTime();
                if (now - lastCheck > 2_000_000_000L) {
                    long lag = lag(GROUP);
                    maxLag = Math.max(maxLag, lag);
                    say("  %3.0f s: offered %,d, analysis lag %,d", (now - t0) / 1e9, sent, lag);
                    lastCheck = now;
                }
                Thread.sleep(1);
            }
            producer.flush();
        }
        double offeredSeconds = (System.nanoTime() - t0) / 1e9;
        awaitLag(GROUP, 0, Duration.ofHours(1), false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long processed = committed(GROUP) - before;
        double processedRate = processed / elapsed;
        say("  offered %,d in %.1f s (%,.0f/s); all processed after %.1f s: %,.0f/s; largest lag seen %,d", sent,
                offeredSeconds, sent / offeredSeconds, elapsed, processedRate, maxLag);
        return processedRate;
    }

    private Map<String, String> latency(int rate, int seconds) throws Exception {
        say("Latency: streaming %,d mentions/s for %d s with dashboard-service reading ...", rate, seconds);
        Instant start = Instant.now();
        sustained(rate, seconds);
        Map<String, String> figures = new LinkedHashMap<>();
        // Wait for the dashboard to catch up, then read publication -> visible delays from its read model.
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (lag("dashboard-service", "threaded-mentions") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        try (Connection c = connect("palabre_dashboard"); Statement s = c.createStatement();
                ResultSet all = s.executeQuery("select count(*), min(created_at), max(created_at), max(stored_at) "
                        + "from mention")) {
            all.next();
            say("  dashboard read model: %,d mentions, created %s .. %s, last stored %s (window from %s)",
                    all.getLong(1), all.getTimestamp(2), all.getTimestamp(3), all.getTimestamp(4), start);
        }
        // Where the time goes: publication to analysis-service's row (its transaction's start), and to the
        // dashboard's.
        double[] analysed = delays("palabre_analysis", start);
        say("  %,d mentions stored by analysis-service: p50 %.0f ms, p99 %.0f ms, max %.0f ms", (long) analysed[0],
                analysed[1], analysed[2], analysed[3]);
        double[] visible = delays("palabre_dashboard", start);
        say("  %,d mentions visible: p50 %.0f ms, p99 %.0f ms, max %.0f ms", (long) visible[0], visible[1], visible[2],
                visible[3]);
        figures.put("latency at " + rate + "/s, p50 ms", String.format(Locale.ROOT, "%.0f", visible[1]));
        figures.put("latency at " + rate + "/s, p99 ms", String.format(Locale.ROOT, "%.0f", visible[2]));
        figures.put("latency sample size", Long.toString((long) visible[0]));
        figures.put("of which to analysis-service's row, p50 / p99 ms", String.format(Locale.ROOT, "%.0f / %.0f",
                analysed[1], analysed[2]));
        return figures;
    }

    /**
     * Count, p50, p99 and max in milliseconds of {@code stored_at - created_at} of the mentions created since
     * {@code start} in one service's database (the benchmark sets {@code createdAt} when it publishes).
     */
    private double[] delays(String database, Instant start) throws Exception {
        try (Connection c = connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), "
                        + "percentile_cont(0.5) within group (order by extract(epoch from stored_at - created_at)), "
                        + "percentile_cont(0.99) within group (order by extract(epoch from stored_at - created_at)), "
                        + "max(extract(epoch from stored_at - created_at)) from mention where created_at >= '"
                        + start + "' and kind <> 'delete'")) {
            rs.next();
            return new double[] { rs.getLong(1), rs.getDouble(2) * 1000, rs.getDouble(3) * 1000,
                rs.getDouble(4) * 1000 };
        }
    }

    private void awaitLag(String group, long target, Duration patience, boolean report) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long lag = lag(group);
            if (lag <= target) {
                return;
            }
            if (report && System.nanoTime() - lastReport > 10_000_000_000L) {
                say("  lag %,d", lag);
                lastReport = System.nanoTime();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("consumer group " + group + " did not catch up within " + patience);
    }

    /**
     * Records threaded by the transaction of their partition and by the one that runs alone, and replies routed to
     * their parent's conversation (each routed reply is read twice: once routed, once threaded).
     */
    private static final java.util.regex.Pattern RECORDS = java.util.regex.Pattern.compile(
            "(palabre_analysis_threading_records_total\\{.*transaction=\"[^\"]+\""
                    + "|palabre_analysis_mentions_routed_total).*? ([0-9.eE+-]+)");

    /** The counters of {@link #RECORDS} since {@code before}, as "partition / alone / routed". */
    private static String records(Map<String, Double> now, Map<String, Double> before) {
        java.util.function.Function<String, String> delta = key -> {
            double sum = 0;
            for (var e : now.entrySet()) {
                if (e.getKey().contains(key)) {
                    sum += e.getValue() - before.entrySet().stream().filter(b -> b.getKey().equals(e.getKey()))
                            .mapToDouble(Map.Entry::getValue).sum();
                }
            }
            return format(sum);
        };
        return delta.apply("transaction=\"partition\"") + " / " + delta.apply("transaction=\"cross\"") + " / "
                + delta.apply("mentions_routed");
    }

    /** The sum over the replicas of each metric line that {@code pattern} matches, by its first group. */
    private static Map<String, Double> metricTotals(List<ServiceProcess> replicas, java.util.regex.Pattern pattern)
            throws Exception {
        Map<String, Double> total = new java.util.TreeMap<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (ServiceProcess replica : replicas) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(replica.url()
                    + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String l : body.split("\n")) {
                java.util.regex.Matcher m = pattern.matcher(l);
                if (m.matches()) {
                    total.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        }
        return total;
    }

    /** Total seconds per threading step, from the replicas' Prometheus metrics. */
    private static Map<String, Double> threadingSteps(List<ServiceProcess> replicas) throws Exception {
        return metricTotals(replicas, java.util.regex.Pattern.compile(
                "palabre_analysis_threading_step_seconds_sum\\{.*step=\"([^\"]+)\".*\\} ([0-9.eE+-]+)"));
    }

    /** Each replica's partitions and the records committed on them since {@code before}. */
    private String balance(Map<Integer, Long> before) throws Exception {
        Map<Integer, Long> after = ConsumerLag.committedByPartition(runtime.bootstrapServers(), GROUP, "mentions");
        Map<String, List<Integer>> byReplica = new java.util.TreeMap<>();
        ConsumerLag.assignments(runtime.bootstrapServers(), GROUP, "mentions").forEach((client, partitions) ->
                byReplica.computeIfAbsent(client.substring(0, client.indexOf('/')),
                        k -> new ArrayList<>()).addAll(partitions));
        List<String> replicas = new ArrayList<>();
        byReplica.forEach((replica, partitions) -> {
            long records = 0;
            for (int p : partitions) {
                records += after.getOrDefault(p, 0L) - before.getOrDefault(p, 0L);
            }
            replicas.add(replica + " " + partitions.stream().sorted().toList() + ": " + format(records));
        });
        return String.join("; ", replicas);
    }

    /**
     * Records not yet processed by the group: analysis-service's on {@code mentions} and on {@code routed-mentions}
     * (the replies it routes to their parent's conversation), the baseline's on {@code mentions}.
     */
    private long lag(String group) throws Exception {
        return GROUP.equals(group) ? ConsumerLag.lag(runtime.bootstrapServers(), group, List.of("mentions",
                "routed-mentions")) : lag(group, "mentions");
    }

    private long lag(String group, String topic) throws Exception {
        return ConsumerLag.lag(runtime.bootstrapServers(), group, topic);
    }

    private long committed(String group) throws Exception {
        return ConsumerLag.committed(runtime.bootstrapServers(), group);
    }

    private long stored() {
        try (Connection c = connect("palabre_analysis"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from mention")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(runtime.jdbcUrl(database), runtime.postgresUser(),
                runtime.postgresPassword());
    }

    private static StringBuilder quote(StringBuilder out, String value) {
        if (value == null) {
            return out;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                out.append('"');
            }
            out.append(ch);
        }
        return out.append('"');
    }

    /** Command-line options. */
    private static final class Options {
        long backlog = 1_000_000;
        int rate = 10_000;
        int seconds = 60;
        int latencyRate = 5_000;
        int latencySeconds = 30;
        int replicas = 1;
        Path projectDir = Path.of("").toAbsolutePath();

        static Options parse(String[] args) {
            Map<String, String> given = Bench.options(args, Set.of("--backlog", "--rate", "--seconds",
                    "--latency-rate", "--latency-seconds", "--replicas", "--project-dir"), Set.of());
            Options o = new Options();
            o.backlog = Long.parseLong(given.getOrDefault("--backlog", Long.toString(o.backlog)));
            o.rate = Integer.parseInt(given.getOrDefault("--rate", Integer.toString(o.rate)));
            o.seconds = Integer.parseInt(given.getOrDefault("--seconds", Integer.toString(o.seconds)));
            o.latencyRate = Integer.parseInt(given.getOrDefault("--latency-rate", Integer.toString(o.latencyRate)));
            o.latencySeconds = Integer.parseInt(given.getOrDefault("--latency-seconds",
                    Integer.toString(o.latencySeconds)));
            o.replicas = Integer.parseInt(given.getOrDefault("--replicas", "1"));
            o.projectDir = Path.of(given.getOrDefault("--project-dir", "")).toAbsolutePath();
            return o;
        }
    }
}
