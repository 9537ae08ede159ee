package io.palabre.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why the stack did not start, in words a person can act on: which of its ports another program holds, which
 * processes of an earlier run of this project are still there (a service, the broker, a PostgreSQL on its data
 * directory), and the last lines of the logs. Leftovers of this project can be stopped so that a start is tried again.
 */
final class StartDiagnosis {

    private static final int LOG_LINES = 25;

    private StartDiagnosis() {
    }

    /** The ports, by what they are for, that cannot be bound on this machine now. */
    static Map<String, Integer> portsInUse(Map<String, Integer> ports) {
        Map<String, Integer> taken = new LinkedHashMap<>();
        ports.forEach((what, port) -> {
            if (port > 0 && !free(port)) {
                taken.put(what, port);
            }
        });
        return taken;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Processes of this project left without the launcher that started them: their command line names the data
     * directory (the broker, PostgreSQL) or one of the project's service jars, and no Palabre process is their parent
     * any more (a running {@code ./palabre up} keeps its own).
     */
    static List<ProcessHandle> leftovers(Path projectDir, Path dataDir) {
        String data = dataDir.toAbsolutePath().normalize().toString();
        List<String> jars = PalabreStack.SERVICES.stream()
                .map(s -> projectDir.resolve(s).resolve("target/quarkus-app/quarkus-run.jar").toString()).toList();
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != self).filter(p -> {
            String line = p.info().commandLine().orElse("");
            return line.contains(data) || jars.stream().anyMatch(line::contains);
        }).filter(p -> p.parent().flatMap(parent -> parent.info().commandLine())
                .map(parent -> !parent.contains("palabre")).orElse(true)).toList();
    }

    /** Asks the leftovers to stop (SIGTERM: PostgreSQL shuts down cleanly), and kills what is still there after a while. */
    static void stop(List<ProcessHandle> leftovers, Duration grace) {
        leftovers.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : leftovers) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                p.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (Exception stillThere) {
                p.destroyForcibly();
            }
        }
    }

    /** The last lines of a log, or nothing when there is none. */
    static List<String> tail(Path log) {
        if (log == null || !Files.isRegularFile(log)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of("(could not read " + log + ": " + e.getMessage() + ")");
        }
    }

    /** What to tell a person after the last attempt failed. */
    static String explain(Exception failure, Map<String, Integer> ports, Path projectDir, Path dataDir, Path logDir) {
        StringBuilder out = new StringBuilder("Palabre did not start: ").append(reason(failure)).append('\n');
        Map<String, Integer> taken = portsInUse(ports);
        taken.forEach((what, port) -> out.append("  - port ").append(port).append(" (").append(what)
                .append(") is held by another program; free it, or choose another port (see README, Settings)\n"));
        List<ProcessHandle> left = leftovers(projectDir, dataDir);
        if (!left.isEmpty()) {
            out.append("  - processes of an earlier run of this project are still there; stop them (kill ")
                    .append(left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" ")))
                    .append(") and start again:\n");
            left.forEach(p -> out.append("      ").append(p.pid()).append(' ')
                    .append(cut(p.info().commandLine().orElse("?"), 160)).append('\n'));
        }
        if (taken.isEmpty() && left.isEmpty()) {
            out.append("  - no port is held and no earlier process is left; the logs below say more\n");
        }
        try (var logs = Files.list(logDir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = tail(log);
                if (!lines.isEmpty()) {
                    out.append("\n  Last lines of ").append(log).append(":\n");
                    lines.forEach(l -> out.append("    ").append(l).append('\n'));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            out.append("  (no logs in ").append(logDir).append(")\n");
        }
        return out.toString();
    }

    /** The failure and its causes, one line, without a stack trace. */
    static String reason(Throwable failure) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = failure; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
        }
        return String.join(": ", parts);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
