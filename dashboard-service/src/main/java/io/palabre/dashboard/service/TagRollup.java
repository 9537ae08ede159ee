package io.palabre.dashboard.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.palabre.dashboard.repository.Jdbc;

/**
 * Mentions per hashtag and per link, by hour ({@code tag_hourly}) and by day ({@code tag_daily}), platform, language
 * and listening query, kept in the transaction that stores the mentions, as {@link ActivityRollup} keeps volume: each
 * stored mention counts once for each hashtag and link its latest state holds.
 */
public final class TagRollup {

    private static final String ADD_HOURLY = "insert into tag_hourly (kind, hour, platform, lang, query, value, "
            + "mentions) values (?, ?, ?, ?, ?, ?, ?) on conflict (kind, hour, platform, lang, query, md5(value)) "
            + "do update set mentions = tag_hourly.mentions + excluded.mentions";
    private static final String ADD_DAILY = "insert into tag_daily (kind, day, platform, lang, query, value, "
            + "mentions) values (?, ?, ?, ?, ?, ?, ?) on conflict (kind, day, platform, lang, query, md5(value)) "
            + "do update set mentions = tag_daily.mentions + excluded.mentions";

    private static final Comparator<Cell> ORDER = Comparator.comparing(Cell::kind).thenComparing(Cell::at)
            .thenComparing(Cell::platform).thenComparing(Cell::lang).thenComparing(Cell::query)
            .thenComparing(Cell::value);

    private TagRollup() {
    }

    /** Where one hashtag or link of a mention counts: {@code at} is its hour (or day, in {@code tag_daily}). */
    public record Cell(String kind, Instant at, String platform, String lang, String query, String value) {

        Cell day() {
            return new Cell(kind, at.truncatedTo(ChronoUnit.DAYS), platform, lang, query, value);
        }
    }

    /** Where a mention in this state counts: once per hashtag and per link, nowhere when deleted. */
    public static List<Cell> cells(ActivityRollup.Cell counted, List<String> hashtags, List<String> links) {
        List<Cell> cells = new ArrayList<>();
        if (counted == null) {
            return cells;
        }
        for (String tag : hashtags) {
            cells.add(new Cell("hashtags", counted.hour(), counted.platform(), counted.lang(), counted.query(), tag));
        }
        for (String link : links) {
            cells.add(new Cell("links", counted.hour(), counted.platform(), counted.lang(), counted.query(), link));
        }
        return cells;
    }

    /** Takes one from each cell of {@code before} and adds one to each of {@code now}. */
    public static void move(Map<Cell, Long> deltas, List<Cell> before, List<Cell> now) {
        if (before.equals(now)) {
            return;
        }
        before.forEach(cell -> deltas.merge(cell, -1L, Long::sum));
        now.forEach(cell -> deltas.merge(cell, 1L, Long::sum));
    }

    /** Applies the changes to both tables, in a fixed order, skipping those that cancel out. */
    static void apply(Connection c, Map<Cell, Long> hourly) throws SQLException {
        Map<Cell, Long> daily = new HashMap<>();
        hourly.forEach((cell, delta) -> daily.merge(cell.day(), delta, Long::sum));
        write(c, ADD_HOURLY, hourly);
        write(c, ADD_DAILY, daily);
    }

    private static void write(Connection c, String sql, Map<Cell, Long> deltas) throws SQLException {
        Jdbc.batch(c, sql, ActivityRollup.changes(deltas, ORDER), (ps, change) -> {
            Cell cell = change.getKey();
            ps.setString(1, cell.kind());
            ps.setTimestamp(2, Timestamp.from(cell.at()));
            ps.setString(3, cell.platform());
            ps.setString(4, cell.lang());
            ps.setString(5, cell.query());
            ps.setString(6, cell.value());
            ps.setLong(7, change.getValue());
        });
    }
}
