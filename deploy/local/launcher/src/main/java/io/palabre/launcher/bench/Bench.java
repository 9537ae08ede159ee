package io.palabre.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.ServiceProcess;

/** What the benchmarks share: output, ports, service settings, a fast producer and memory readings. */
final class Bench {

    private Bench() {
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static int freePort() throws IOException {
        return io.palabre.launcher.FreePorts.next();
    }

    /** The settings a packaged service needs to use the benchmark's broker and database. */
    static Map<String, String> serviceConfig(LocalRuntimeProcess runtime, String database, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", runtime.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", runtime.jdbcUrl(database));
        config.put("quarkus.datasource.username", runtime.postgresUser());
        config.put("quarkus.datasource.password", runtime.postgresPassword());
        config.putAll(extra);
        return config;
    }

    /**
     * Command-line options as {@code --name value} pairs, and {@code --flag}s that take no value (present: "true").
     * An option not in {@code known} is an error, so a typo does not silently run the default: the tool says which
     * options it takes and exits with status 2 ({@code --help}: the same, status 0).
     */
    static Map<String, String> options(String[] args, Set<String> known, Set<String> flags) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (flags.contains(name)) {
                options.put(name, "true");
            } else if (known.contains(name) && i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                // A command-line tool: say what it takes, without a stack trace.
                String usage = "options: " + new java.util.TreeSet<>(known) + " (each with a value), flags: "
                        + new java.util.TreeSet<>(flags) + "; see the README, Benchmarks";
                boolean help = "--help".equals(name) || "-h".equals(name);
                System.err.println(help ? usage : "Unknown option or missing value: " + name + "; " + usage);
                System.exit(help ? 0 : 2);
            }
        }
        return options;
    }

    static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    /** Peak resident memory of a service (VmHWM), in MB; -1 when it cannot be read. */
    static long peakRssMb(ServiceProcess service) {
        return memoryMb(service, "VmHWM:");
    }

    /** Current resident memory of a service (VmRSS), in MB; -1 when it cannot be read. */
    static long rssMb(ServiceProcess service) {
        return memoryMb(service, "VmRSS:");
    }

    private static long memoryMb(ServiceProcess service, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(service.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
