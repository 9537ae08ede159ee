package io.palabre.system;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.palabre.launcher.LocalRuntimeProcess;

/**
 * The real local runtime, PostgreSQL alone: a runtime whose port is held by another PostgreSQL (one left running by a
 * run from elsewhere) refuses to start and says why, instead of working on that server's data.
 */
class PostgresPortTest {

    @Test
    void aPortHeldByAnotherPostgresIsRefusedWithItsReason() throws Exception {
        Path logs = Path.of("target", "postgres-port-logs").toAbsolutePath();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (LocalRuntimeProcess first = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(
                logs.resolve("first.log"), Files.createTempDirectory("palabre-first-"), 0, port, null, List.of(),
                false))) {
            Path secondLog = logs.resolve("second.log");
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalRuntimeProcess.start(
                    new LocalRuntimeProcess.Settings(secondLog, Files.createTempDirectory("palabre-second-"), 0, port,
                            null, List.of(), false)));
            assertTrue(refused.getMessage().contains("is held by another PostgreSQL"), refused.getMessage());
            assertTrue(first.isAlive(), "the first runtime's server is left alone");
        }
    }
}
