package io.palabre.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Command line of the sample generator.
 *
 * <pre>
 * generate --count 5000 [--seed 42] [--start 2026-01-01T00:00:00Z] [--days 7] [--out sample.ndjson]
 * stream   --rate 10000 [--seconds 60 | --count N] [--seed 42] [--bootstrap localhost:9092] [--topic mentions]
 * </pre>
 *
 * {@code generate} writes newline-delimited canonical mentions (to standard output without {@code --out});
 * {@code stream} publishes them to Kafka at a steady rate and prints the rate reached each second.
 */
public final class SampleCommand {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SampleCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("generate") || args[0].equals("stream"))) {
            System.err.println("usage: generate --count N [--seed S] [--start ISO] [--days D] [--out FILE]\n"
                    + "       stream --rate R [--seconds S | --count N] [--seed S] [--bootstrap HOST:PORT] [--topic T]");
            System.exit(2);
        }
        Options o = Options.parse(args);
        if (args[0].equals("generate")) {
            generate(o);
        } else {
            stream(o);
        }
    }

    private static void generate(Options o) throws IOException {
        Instant start = o.start != null ? o.start
                : Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(o.days));
        SampleGenerator.Sample sample = new SampleGenerator(o.seed, start, Duration.ofDays(o.days)).generate(o.count);
        try (Writer out = o.out == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(o.out, StandardCharsets.UTF_8)) {
            for (SampleGenerator.Event e : sample.events()) {
                out.write(MAPPER.writeValueAsString(e.json()));
                out.write('\n');
            }
        }
        System.err.printf("%d mentions in %d conversations (%d replies, %d reposts, %d quotes, %d organisation "
                + "answers)%n", sample.events().size(), sample.conversations().size(), sample.replies(),
                sample.reposts(), sample.quotes(), sample.organisationAnswers());
    }

    private static void stream(Options o) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        SampleGenerator generator = new SampleGenerator(o.seed, Instant.now(), Duration.ofDays(1));
        long limit = o.count > 0 ? o.count : (long) o.rate * o.seconds;
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Deque<SampleGenerator.Event> pending = new ArrayDeque<>();
        long begin = System.nanoTime();
        long sent = 0;
        long lastReport = begin;
        long lastSent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            while (sent < limit) {
                long due = (long) ((System.nanoTime() - begin) / 1e9 * o.rate) + 1;
                while (sent < due && sent < limit) {
                    if (pending.isEmpty()) {
                        pending.addAll(generator.nextThread(Instant.now()));
                    }
                    SampleGenerator.Event e = pending.poll();
                    e.json().put("createdAt", Instant.now().toString());
                    producer.send(new ProducerRecord<>(o.topic, e.key(), MAPPER.writeValueAsString(e.json())),
                            (meta, error) -> (error == null ? acked : failed).incrementAndGet());
                    sent++;
                }
                long now = System.nanoTime();
                if (now - lastReport >= 1_000_000_000L) {
                    System.out.printf("sent %d in the last %.1f s (%.0f/s), %d in all%n", sent - lastSent,
                            (now - lastReport) / 1e9, (sent - lastSent) / ((now - lastReport) / 1e9), sent);
                    lastReport = now;
                    lastSent = sent;
                }
                if (sent < due) {
                    continue;
                }
                Thread.onSpinWait();
                if (due - sent < 10) {
                    Thread.sleep(1);
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        System.out.printf("STREAM_DONE sent=%d acked=%d failed=%d seconds=%.2f rate=%.0f/s%n", sent, acked.get(),
                failed.get(), seconds, sent / seconds);
    }

    /** Parsed options with their defaults. */
    static final class Options {
        int count = 5000;
        long seed = 42;
        Instant start;
        int days = 7;
        Path out;
        int rate = 1000;
        int seconds = 60;
        String bootstrap = "localhost:9092";
        String topic = "mentions";

        static Options parse(String[] args) {
            Options o = new Options();
            boolean countGiven = false;
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--count" -> {
                        o.count = Integer.parseInt(value);
                        countGiven = true;
                    }
                    case "--seed" -> o.seed = Long.parseLong(value);
                    case "--start" -> o.start = Instant.parse(value);
                    case "--days" -> o.days = Integer.parseInt(value);
                    case "--out" -> o.out = Path.of(value);
                    case "--rate" -> o.rate = Integer.parseInt(value);
                    case "--seconds" -> o.seconds = Integer.parseInt(value);
                    case "--bootstrap" -> o.bootstrap = value;
                    case "--topic" -> o.topic = value;
                    default -> throw new IllegalArgumentException("Unknown option " + name);
                }
            }
            if (args[0].equals("stream") && !countGiven) {
                o.count = 0;
            }
            return o;
        }
    }
}
