package io.palabre.watch;

import java.util.Optional;

/**
 * A Java agent that ends the JVM it runs in, through its normal shutdown, when a given process ends: the launcher
 * passes its own pid ({@code -javaagent:palabre-parent-watch.jar=<pid>}), so that no service outlives it and keeps
 * retrying a broker and a database that are gone, even when the launcher is killed with SIGKILL.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    public static void premain(String arguments) {
        long pid;
        try {
            pid = Long.parseLong(arguments == null ? "" : arguments.trim());
        } catch (NumberFormatException e) {
            System.err.println("[parent-watch] expected the pid to watch, not '" + arguments + "'; not watching");
            return;
        }
        Optional<ProcessHandle> watched = ProcessHandle.of(pid);
        if (watched.isEmpty() || !watched.get().isAlive()) {
            System.err.println("[parent-watch] process " + pid + " is already gone: exiting");
            System.exit(0);
        }
        watched.get().onExit().thenRun(() -> {
            System.err.println("[parent-watch] process " + pid + " ended: stopping");
            System.exit(0);
        });
    }
}
