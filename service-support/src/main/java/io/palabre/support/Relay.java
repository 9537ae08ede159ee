package io.palabre.support;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.jboss.logging.Logger;

/**
 * A background loop that publishes what an outbox holds: it runs one step (which returns how many records it
 * published) again at once while steps come back full, waits for a nudge or the idle interval when they do not, and
 * backs off (up to 10 s) while a step fails, saying why.
 */
public final class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    private static final long MAX_BACKOFF_MS = 10_000;

    private final String what;
    private final int batch;
    private final Duration idle;
    private final Callable<Integer> step;
    private final Object wake = new Object();
    private volatile boolean stopped;
    private Thread thread;

    /** {@code what} names what is published, for the log: "Listening query changes", "Token states". */
    public Relay(String what, int batch, Duration idle, Callable<Integer> step) {
        this.what = what;
        this.batch = batch;
        this.idle = idle;
        this.step = step;
    }

    public void start(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Runs a step soon rather than at the next idle wake-up: called after a change commits. */
    public void nudge() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        long backoff = 200;
        while (!stopped) {
            try {
                int published = step.call();
                backoff = 200;
                if (published < batch) {
                    synchronized (wake) {
                        wake.wait(idle.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("%s not published yet (%s); retrying in %d ms", what, e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }
}
