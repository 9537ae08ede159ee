package io.palabre.dashboard.service;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Work a service does on its own, again and again on one daemon thread of its own: alert evaluation, deliveries,
 * report mail. A failure is logged and the work goes on at its next turn (an exception thrown out of a scheduled
 * task would end its schedule silently).
 */
public final class Background {

    private static final Logger LOG = Logger.getLogger(Background.class);

    private Background() {
    }

    /** Runs {@code work} on thread {@code name} after {@code firstMillis}, then {@code delayMillis} after each run. */
    public static ScheduledExecutorService every(String name, long firstMillis, long delayMillis, Runnable work) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "%s failed; it runs again at its next turn", name);
            }
        }, firstMillis, delayMillis, TimeUnit.MILLISECONDS);
        return executor;
    }
}
