package io.palabre.support;

import java.sql.SQLException;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure that passes by itself (the database or the broker out of reach, no connection left in the pool, a
 * query cancelled by its time limit, a conflict worth retrying) from one that the data causes and no retry mends:
 * the one place where Palabre decides, used by the consumers and by the REST error mappers of every service.
 */
public final class Failures {

    /** SQLSTATE classes and codes that say nothing about the data: connection, resources, operator, system. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58");
    private static final Set<String> TRANSIENT_CODES = Set.of("40001", "40P01", "55P03", "57014", "57P01", "57P02",
            "57P03", "57P04", "57P05");

    private Failures() {
    }

    /** Whether retrying the same work later can succeed. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null) {
                    // Agroal's pool gives no state when no connection could be had in time.
                    return String.valueOf(sql.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("acquisition");
                }
                return TRANSIENT_CODES.contains(state) || state.length() >= 2
                        && TRANSIENT_CLASSES.contains(state.substring(0, 2));
            }
            if (t instanceof RetriableException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException
                    || t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the database answered that the statement ran out of its time limit. */
    public static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A one-line reason for a dead-letter record or a log line. */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        String message = failure.getMessage();
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null) {
                message = root.getMessage();
            }
        }
        String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }
}
