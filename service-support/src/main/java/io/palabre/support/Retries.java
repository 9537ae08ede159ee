package io.palabre.support;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.palabre.support.Failures;

/**
 * Runs a consumer's work until it succeeds or fails on its data (one of every service's consumers): a failure that passes by itself (database or broker
 * out of reach) is waited out with backoff and readiness DOWN, never turned into a dead letter.
 */
@ApplicationScoped
public class Retries {

    private static final Logger LOG = Logger.getLogger(Retries.class);
    private static final long FIRST_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ConsumerReadiness readiness;

    public Retries(ConsumerReadiness readiness) {
        this.readiness = readiness;
    }

    /** What the work returned, or why its data made it fail. */
    public record Attempt<T>(T value, String failure) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    public <T> Attempt<T> untilDone(String what, Callable<T> work) throws InterruptedException {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            try {
                T value = work.call();
                readiness.recovered();
                return new Attempt<>(value, null);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!Failures.isTransient(e)) {
                    return new Attempt<>(null, Failures.reason(e));
                }
                readiness.waiting(what + ": " + Failures.reason(e));
                LOG.warnf("%s waits (%s); retrying in %d ms", what, Failures.reason(e), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }
}
