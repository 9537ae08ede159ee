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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An HTTP load generator for the dashboard's API, run in its own JVM. Two phases on the same request mix:
 * <ol>
 * <li>throughput: a closed loop of {@code --connections} requests in flight for {@code --seconds};</li>
 * <li>latency: an open loop at {@code --rate} requests per second for {@code --seconds}; each latency is measured
 * from the instant the request was due, so a slow server cannot hide its queueing (no coordinated omission).</li>
 * </ol>
 * Prints p50, p99 and max per class of request, errors (anything but 200), and requests per second.
 */
public final class HttpLoad {

    /** A kind of request, its share of the mix, and its latency target at p99. */
    private record Kind(String name, String group, int weight, long targetMillis) {
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
            new Kind("full-text search, newest 20", "aggregate", 5, 100),
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

    /** The API token the requests carry, from the environment (not the command line, where others could read it). */
    private static final String TOKEN = System.getenv().getOrDefault("PALABRE_TOKEN", "");

    private HttpLoad(String url, JsonNode ids, ExecutorService executor) {
        this.url = url;
        this.mentions = strings(ids.get("mentions"));
        this.conversations = strings(ids.get("conversations"));
        this.accounts = strings(ids.get("accounts"));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--rate", "2000", "--seconds", "60",
                "--connections", "64"));
        options.putAll(Bench.options(args, Set.of("--url", "--ids", "--rate", "--seconds", "--connections"),
                Set.of()));
        JsonNode ids = new ObjectMapper().readTree(Files.readString(Path.of(options.get("--ids"))));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            HttpLoad load = new HttpLoad(options.get("--url"), ids, executor);
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
            Map<String, Result> groups = new LinkedHashMap<>();
            for (Map.Entry<Kind, Result> e : latency.entrySet()) {
                Kind k = e.getKey();
                Result r = e.getValue();
                System.out.println(r.line(k.name(), k.targetMillis()));
                groups.computeIfAbsent(k.group(), g -> new Result()).addAll(r);
            }
            for (Map.Entry<String, Result> e : groups.entrySet()) {
                long target = MIX.stream().filter(k -> k.group().equals(e.getKey())).findFirst().orElseThrow()
                        .targetMillis();
                System.out.println(e.getValue().line("all " + e.getKey() + "s", target));
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private void warmUp(Duration duration) throws Exception {
        System.out.println("warming up for " + duration.toSeconds() + " s ...");
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Kind kind = pick();
            client.send(request(kind), HttpResponse.BodyHandlers.discarding());
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

    /** Sends at a fixed rate; each latency runs from the request's due time to its response. */
    private Map<Kind, Result> openLoop(int rate, int seconds) throws Exception {
        System.out.printf(Locale.ROOT, "latency: %d requests/s for %d s ...%n", rate, seconds);
        Map<Kind, Result> results = new ConcurrentHashMap<>();
        MIX.forEach(k -> results.put(k, new Result()));
        int total = rate * seconds;
        CountDownLatch finished = new CountDownLatch(total);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Kind kind = pick();
            client.sendAsync(request(kind), HttpResponse.BodyHandlers.discarding()).whenComplete((r, error) -> {
                results.get(kind).add((System.nanoTime() - due) / 1000, error != null || r.statusCode() != 200);
                finished.countDown();
            });
        }
        if (!finished.await(120, TimeUnit.SECONDS)) {
            System.out.println("  some requests had no answer 120 s after the last was sent");
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
            case "2-hop ego network" -> "/api/accounts/" + encode(any(accounts)) + "/network?depth=2";
            default -> throw new IllegalArgumentException(kind.name());
        };
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
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

    /** Latencies in microseconds and error count of one class. */
    private static final class Result {
        private final ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        private final AtomicLong errors = new AtomicLong();

        void add(long latencyMicros, boolean error) {
            micros.add(latencyMicros);
            if (error) {
                errors.incrementAndGet();
            }
        }

        void addAll(Result other) {
            micros.addAll(other.micros);
            errors.addAndGet(other.errors.get());
        }

        String line(String name, long targetMillis) {
            long[] sorted = micros.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return String.format(Locale.ROOT, "  %-42s %6d", name, 0);
            }
            double p99 = percentile(sorted, 0.99) / 1000.0;
            return String.format(Locale.ROOT, "  %-42s %6d %7.1f %7.1f %7.1f %7d  %d ms %s", name, sorted.length,
                    percentile(sorted, 0.50) / 1000.0, p99, sorted[sorted.length - 1] / 1000.0, errors.get(),
                    targetMillis, p99 <= targetMillis ? "met" : "MISSED");
        }

        private static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }
}
