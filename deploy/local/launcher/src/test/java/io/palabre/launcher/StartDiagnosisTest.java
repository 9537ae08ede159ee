package io.palabre.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What the launcher tells when the stack does not start, with real sockets, real processes and a real log file.
 */
class StartDiagnosisTest {

    @Test
    void aHeldPortIsNamedWithWhatItIsFor() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            int port = held.getLocalPort();
            Map<String, Integer> taken = StartDiagnosis.portsInUse(Map.of("Kafka", port));
            assertEquals(Map.of("Kafka", port), taken);
        }
    }

    @Test
    void anOrphanOfThisProjectIsFoundAndStoppedButNotAProcessALauncherStillOwns() throws Exception {
        Path project = Files.createTempDirectory("palabre-project-");
        Path data = project.resolve(".palabre/data");
        Files.createDirectories(data);
        // An orphan naming the data directory, as a PostgreSQL left by a killed runtime would: its parent exits.
        new ProcessBuilder("sh", "-c", "sh -c 'sleep 120; true' orphan " + data + " >/dev/null 2>&1 &").start()
                .waitFor();
        await().atMost(Duration.ofSeconds(10)).until(() -> !StartDiagnosis.leftovers(project, data).isEmpty());
        List<ProcessHandle> leftovers = StartDiagnosis.leftovers(project, data);
        assertEquals(1, leftovers.size());
        assertTrue(leftovers.get(0).info().commandLine().orElse("").contains(data.toString()));

        StartDiagnosis.stop(leftovers, Duration.ofSeconds(10));
        assertFalse(leftovers.get(0).isAlive());
        assertTrue(StartDiagnosis.leftovers(project, data).isEmpty());
    }

    @Test
    void theExplanationNamesHeldPortsAndShowsTheLastLinesOfTheLogs() throws Exception {
        Path project = Files.createTempDirectory("palabre-project-");
        Path logs = Files.createDirectories(project.resolve(".palabre/logs"));
        Files.writeString(logs.resolve("local-runtime.log"), "starting\nFATAL: lock file \"postmaster.pid\" "
                + "already exists\n");
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            String text = StartDiagnosis.explain(new IllegalStateException("The local runtime did not start",
                    new java.util.concurrent.TimeoutException("60 s")), Map.of("PostgreSQL", held.getLocalPort()),
                    project, project.resolve(".palabre/data"), logs);
            assertTrue(text.startsWith("Palabre did not start: The local runtime did not start: 60 s"), text);
            assertTrue(text.contains("port " + held.getLocalPort() + " (PostgreSQL) is held by another program"), text);
            assertTrue(text.contains("lock file \"postmaster.pid\" already exists"), text);
            assertFalse(text.contains("\tat "), "no stack trace: " + text);
        }
    }
}
