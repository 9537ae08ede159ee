package io.palabre.launcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops child processes the way the launcher wants: a clean shutdown first, then a kill when it takes too long.
 */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /** Sends SIGTERM, waits up to {@code grace}, then kills. */
    static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
