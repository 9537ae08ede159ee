package io.palabre.launcher.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An HTTP load generator for the dashboard's API, run in its own JVM. Two phases on the same request mix:
 * <ol>
 * <li>throughput: a closed loop of {@code --connections} requests in flight for {@code --seconds};</li>
 * <li>latency: an open loop at {@code --rate} requests per second for {@code --seconds}; each latency is measured
 * from the instant the request was due, so a slow server cannot hide its queueing (no coordinated omission).</li>
 * </ol>
 * Prints p50, p99 and max per class of request, errors, and requests per second.
 *
 * <p>An overloaded server yields figures, not a crash: at most {@code --max-in-flight} requests wait for an answer
 * (a request due while that many wait is not sent, and counts as an error: "not sent"), each waits at most
 * {@code --timeout} seconds ("timed out"), and latencies go to one HdrHistogram per class, whose size does not grow
 * with the number of requests. A request that got no answer counts as slower than every answered one in the
 * percentiles: a p99 that falls among them prints as "&gt;" the timeout.
 */
public final class HttpLoad {

    /** A kind of request, its share of the mix, and its latency target at p99. */
    record Kind(String name, String group, int weight, long targetMillis) {
    }

    private static final List<Kind> MIX = List.of(
            new Kind("mention by id", "lookup", 20, 20),
            new Kind("conversation by id (reply tree)", "lookup", 15, 20),
            new Kind("account by id", "lookup", 15, 20),
            new Kind("timeseries, hourly by platform, 7 days", "aggregate", 8, 100),
            new Kind("timeseries, daily by language, 30 days", "aggregate", 5, 100),
            new Kind("top hashtags, 7 days", "aggregate", 5, 100),
            new Kind("largest conversations, 7 days", "aggregate", 6, 100),
            new Kind("recent conversations", "aggregate", 6, 100),
            new Kind("full-text search, newest 20", "search", 5, 300),
            new Kind("full-text search, a word nobody wrote", "search", 1, 300),
            new Kind("2-hop ego network", "network", 15, 200));

    private static final String[] WORDS = { "cancelled", "refund", "timetable", "library", "greve", "signage",
        "station", "climate", "velo", "update" };

    private final String url;
    private final List<String> mentions;
    private final List<String> conversations;
    private final List<String> accounts;
    private final HttpClient client;
    private final Random random = new Random(7);
    private final int totalWeight = MIX.stream().mapToInt(Kind::weight).sum();
    private final int maxInFlight;
    private final Duration timeout;

    /** The API token the requests carry, from the environment (not the command line, where others could read it). */
    private static final String TOKEN = System.getenv().getOrDefault("PALABRE_TOKEN", "");

    HttpLoad(String url, JsonNode ids, ExecutorService executor, int maxInFlight, Duration timeout) {
        this.url = url;
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
        this.mentions = strings(ids.get("mentions"));
        this.conversations = strings(ids.get("conversations"));
        this.accounts = strings(ids.get("accounts"));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--rate", "2000", "--seconds", "60",
                "--connections", "64", "--max-in-flight", "512", "--timeout", "10"));
        options.putAll(Bench.options(args, Set.of("--url", "--ids", "--rate", "--seconds", "--connections",
                "--max-in-flight", "--timeout"), Set.of()));
        JsonNode ids = new ObjectMapper().readTree(Files.readString(Path.of(options.get("--ids"))));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            HttpLoad load = new HttpLoad(options.get("--url"), ids, executor,
                    Integer.parseInt(options.get("--max-in-flight")),
                    Duration.ofSeconds(Integer.parseInt(options.get("--timeout"))));
            int seconds = Integer.parseInt(options.get("--seconds"));
            load.warmUp(Duration.ofSeconds(10));
            double throughput = load.closedLoop(Integer.parseInt(options.get("--connections")), seconds);
            Map<Kind, Result> latency = load.openLoop(Integer.parseInt(options.get("--rate")), seconds);
            System.out.println("REPORT");
            System.out.printf(Locale.ROOT, "throughput, closed loop with %s connections: %,.0f requests/s%n",
                    options.get("--connections"), throughput);
            System.out.printf(Locale.ROOT, "latency at %s requests/s offered for %d s (ms from when each was due):%n",
                    options.get("--rate"), seconds);
            System.out.printf(Locale.ROOT, "  %-42s %6s %7s %7s %7s %7s  %s%n", "request", "n", "p50", "p99",
                    "max", "errors", "target p99");
            System.out.printf(Locale.ROOT, "  (errors: answers other than 200, timed out after %s s, not sent with %s "
                    + "in flight, failed)%n", options.get("--timeout"), options.get("--max-in-flight"));
            Map<String, Result> groups = new LinkedHashMap<>();
            for (Map.Entry<Kind, Result> e : latency.entrySet()) {
                Kind k = e.getKey();
                Result r = e.getValue();
                System.out.println(r.line(k.name(), k.targetMillis()));
                groups.computeIfAbsent(k.group(), g -> new Result(load.timeout)).addAll(r);
            }
            for (Map.Entry<String, Result> e : groups.entrySet()) {
                long target = MIX.stream().filter(k -> k.group().equals(e.getKey())).findFirst().orElseThrow()
                        .targetMillis();
                System.out.println(e.getValue().line("all " + e.getKey() + (e.getKey().endsWith("h") ? "es" : "s"),
                        target));
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private void warmUp(Duration duration) throws Exception {
        System.out.println("warming up for " + duration.toSeconds() + " s ...");
        long end = System.nanoTime() + duration.toNanos();
        int failed = 0;
        while (System.nanoTime() < end) {
            Kind kind = pick();
            try {
                client.send(request(kind), HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException e) { // a cold server may not answer in time: the warm-up goes on
                failed++;
            }
        }
        if (failed > 0) {
            System.out.println("  " + failed + " warm-up requests had no answer within the timeout");
        }
    }

    /** Requests per second with {@code connections} always in flight. */
    private double closedLoop(int connections, int seconds) throws Exception {
        System.out.printf(Locale.ROOT, "throughput: %d requests in flight for %d s ...%n", connections, seconds);
        Semaphore inFlight = new Semaphore(connections);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        // Each request waits at most the timeout: the loop ends.
        while (System.nanoTime() < end) {
            inFlight.acquire();
            client.sendAsync(request(pick()), HttpResponse.BodyHandlers.discarding()).whenComplete((r, error) -> {
                if (error != null || r.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                done.incrementAndGet();
                inFlight.release();
            });
        }
        inFlight.acquire(connections);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  %,d requests in %.1f s, %,d errors%n", done.get(), elapsed, errors.get());
        return done.get() / elapsed;
    }

    /**
     * Sends at a fixed rate; each latency runs from the request's due time to its response. A request due while
     * {@code maxInFlight} wait for their answer is not sent, and counted.
     */
    Map<Kind, Result> openLoop(int rate, int seconds) throws Exception {
        System.out.printf(Locale.ROOT, "latency: %d requests/s for %d s ...%n", rate, seconds);
        Map<Kind, Result> results = new ConcurrentHashMap<>();
        MIX.forEach(k -> results.put(k, new Result(timeout)));
        Semaphore inFlight = new Semaphore(maxInFlight);
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Kind kind = pick();
            Result result = results.get(kind);
            if (!inFlight.tryAcquire()) {
                result.notSent();
                continue;
            }
            client.sendAsync(request(kind), HttpResponse.BodyHandlers.discarding()).whenComplete((r, error) -> {
                result.answered((System.nanoTime() - due) / 1000, r == null ? -1 : r.statusCode(), error);
                inFlight.release();
            });
        }
        // Every request sent ends within the timeout (and a little more for the connection's own).
        if (!inFlight.tryAcquire(maxInFlight, timeout.toSeconds() + 30, TimeUnit.SECONDS)) {
            System.out.printf(Locale.ROOT, "  some requests had no end %d s after the last was sent%n",
                    timeout.toSeconds() + 30);
        }
        Map<Kind, Result> ordered = new LinkedHashMap<>();
        MIX.forEach(k -> ordered.put(k, results.get(k)));
        return ordered;
    }

    private Kind pick() {
        int r = random.nextInt(totalWeight);
        for (Kind k : MIX) {
            r -= k.weight();
            if (r < 0) {
                return k;
            }
        }
        throw new IllegalStateException();
    }

    private HttpRequest request(Kind kind) {
        String now = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
        String week = Instant.now().minus(Duration.ofDays(7)).truncatedTo(ChronoUnit.MINUTES).toString();
        String month = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.MINUTES).toString();
        String path = switch (kind.name()) {
            case "mention by id" -> "/api/mentions/" + encode(any(mentions));
            case "conversation by id (reply tree)" -> "/api/conversations/" + encode(any(conversations));
            case "account by id" -> "/api/accounts/" + encode(any(accounts));
            case "timeseries, hourly by platform, 7 days" -> "/api/timeseries?interval=hour&by=platform&from="
                    + week + "&to=" + now;
            case "timeseries, daily by language, 30 days" -> "/api/timeseries?interval=day&by=lang&from=" + month
                    + "&to=" + now;
            case "top hashtags, 7 days" -> "/api/top/hashtags?limit=20&from=" + week;
            case "largest conversations, 7 days" -> "/api/conversations?sort=size&limit=20&from=" + week;
            case "recent conversations" -> "/api/conversations?limit=20";
            case "full-text search, newest 20" -> "/api/mentions?limit=20&q=" + WORDS[random.nextInt(WORDS.length)];
            // The worst case for walking the newest first: nothing matches, so every mention would be read.
            case "full-text search, a word nobody wrote" -> "/api/mentions?limit=20&q=zq" + random.nextInt(1_000_000)
                    + "xv";
            case "2-hop ego network" -> "/api/accounts/" + encode(any(accounts)) + "/network?depth=2";
            default -> throw new IllegalArgumentException(kind.name());
        };
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN).build();
    }

    private String any(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        if (values.isEmpty()) {
            throw new IllegalArgumentException("No ids to request");
        }
        return values;
    }

    /**
     * Latencies of one class of request, in microseconds (an HdrHistogram: 3 significant digits, up to an hour), and
     * its errors by kind. Thread-safe.
     */
    static final class Result {
        private final Histogram micros = new ConcurrentHistogram(TimeUnit.HOURS.toMicros(1), 3);
        private final Duration timeout;
        private final AtomicLong status = new AtomicLong();
        private final AtomicLong timedOut = new AtomicLong();
        private final AtomicLong notSent = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();

        Result(Duration timeout) {
            this.timeout = timeout;
        }

        /** A request that ended: with an answer (its status), or with an error. */
        void answered(long latencyMicros, int statusCode, Throwable error) {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                (cause instanceof java.net.http.HttpTimeoutException ? timedOut : failed).incrementAndGet();
                return;
            }
            micros.recordValue(Math.min(latencyMicros, micros.getHighestTrackableValue()));
            if (statusCode != 200) {
                status.incrementAndGet();
            }
        }

        void notSent() {
            notSent.incrementAndGet();
        }

        void addAll(Result other) {
            micros.add(other.micros);
            status.addAndGet(other.status.get());
            timedOut.addAndGet(other.timedOut.get());
            notSent.addAndGet(other.notSent.get());
            failed.addAndGet(other.failed.get());
        }

        long answered() {
            return micros.getTotalCount();
        }

        /** Requests that got no answer: timed out, not sent, or failed. */
        long unanswered() {
            return timedOut.get() + notSent.get() + failed.get();
        }

        long errors() {
            return status.get() + unanswered();
        }

        long timedOut() {
            return timedOut.get();
        }

        long notSentCount() {
            return notSent.get();
        }

        /**
         * The latency at percentile {@code p} (0 to 1) of all the requests due, in milliseconds, where those without
         * an answer rank after every answered one: {@code Double.POSITIVE_INFINITY} when it falls among them.
         */
        double percentileMillis(double p) {
            long total = answered() + unanswered();
            long rank = Math.max(1, (long) Math.ceil(p * total));
            if (rank > answered()) {
                return Double.POSITIVE_INFINITY;
            }
            return micros.getValueAtPercentile(100.0 * rank / answered()) / 1000.0;
        }

        String line(String name, long targetMillis) {
            long n = answered() + unanswered();
            if (n == 0) {
                return String.format(Locale.ROOT, "  %-42s %6d", name, 0);
            }
            double p99 = percentileMillis(0.99);
            String max = unanswered() > 0 ? "> " + timeout.toSeconds() + " s"
                    : String.format(Locale.ROOT, "%.1f", micros.getMaxValue() / 1000.0);
            String breakdown = errors() == 0 ? "" : String.format(Locale.ROOT, " (%d not 200, %d timed out, %d not "
                    + "sent, %d failed; answered ones: p50 %s, p99 %s)", status.get(), timedOut.get(), notSent.get(),
                    failed.get(), answeredMillis(50), answeredMillis(99));
            return String.format(Locale.ROOT, "  %-42s %6d %7s %7s %7s %7d  %d ms %s%s", name, n,
                    millis(percentileMillis(0.50)), millis(p99), max, errors(), targetMillis,
                    p99 <= targetMillis ? "met" : "MISSED", breakdown);
        }

        private String answeredMillis(double percentile) {
            return answered() == 0 ? "-"
                    : String.format(Locale.ROOT, "%.1f", micros.getValueAtPercentile(percentile) / 1000.0);
        }

        private String millis(double value) {
            return Double.isInfinite(value) ? "> " + timeout.toSeconds() + " s"
                    : String.format(Locale.ROOT, "%.1f", value);
        }
    }
}
