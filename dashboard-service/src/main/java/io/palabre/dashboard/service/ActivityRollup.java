package io.palabre.dashboard.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.palabre.dashboard.repository.Jdbc;

/**
 * Mentions per hour, platform, language and listening query ({@code activity_hourly}), kept in the transaction that
 * stores the mentions: each stored mention counts once, where its latest state says, whatever arrives twice, late or
 * changed (an edit that changes the language or the time moves its count; a delete removes it).
 */
public final class ActivityRollup {

    /** What stands for "no language" and "no listening query": no stored text can hold a control character. */
    public static final String NONE = "\u0001";

    private static final String ADD = "insert into activity_hourly (hour, platform, lang, query, mentions) "
            + "values (?, ?, ?, ?, ?) on conflict (hour, platform, lang, query) "
            + "do update set mentions = activity_hourly.mentions + excluded.mentions";

    private static final Comparator<Cell> ORDER = Comparator.comparing(Cell::hour).thenComparing(Cell::platform)
            .thenComparing(Cell::lang).thenComparing(Cell::query);

    private ActivityRollup() {
    }

    /** Where one mention counts. */
    public record Cell(Instant hour, String platform, String lang, String query) {
    }

    /** Where a mention in this state counts, or null when it does not (a delete, or a deleted post). */
    public static Cell cell(Instant createdAt, String platform, String lang, String query, String kind,
            boolean deleted) {
        if (deleted || "delete".equals(kind)) {
            return null;
        }
        return new Cell(createdAt.truncatedTo(ChronoUnit.HOURS), platform, lang == null ? NONE : lang,
                query == null ? NONE : query);
    }

    /** Adds one to {@code now} and takes one from {@code before} (either may be null). */
    public static void move(Map<Cell, Long> deltas, Cell before, Cell now) {
        if (before != null && before.equals(now)) {
            return;
        }
        if (before != null) {
            deltas.merge(before, -1L, Long::sum);
        }
        if (now != null) {
            deltas.merge(now, 1L, Long::sum);
        }
    }

    /** Applies the changes of counts, in a fixed order, skipping those that cancel out. */
    static void apply(Connection c, Map<Cell, Long> deltas) throws SQLException {
        Jdbc.batch(c, ADD, changes(deltas, ORDER), (ps, change) -> {
            Cell cell = change.getKey();
            ps.setTimestamp(1, Timestamp.from(cell.hour()));
            ps.setString(2, cell.platform());
            ps.setString(3, cell.lang());
            ps.setString(4, cell.query());
            ps.setLong(5, change.getValue());
        });
    }

    /** The changes that do not cancel out, in a fixed order (so that two writers never wait on each other crosswise). */
    static <K> List<Map.Entry<K, Long>> changes(Map<K, Long> deltas, Comparator<K> order) {
        return deltas.entrySet().stream().filter(e -> e.getValue() != 0).sorted(Map.Entry.comparingByKey(order))
                .toList();
    }
}
