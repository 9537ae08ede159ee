package io.palabre.dashboard.service;

import java.time.Duration;

/** Waits between attempts of a delivery: doubling from the first, at most the maximum. */
public final class Backoff {

    private Backoff() {
    }

    /** The wait after the n-th failed attempt (n from 1). */
    public static Duration after(int attempts, Duration first, Duration max) {
        Duration wait = first;
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
