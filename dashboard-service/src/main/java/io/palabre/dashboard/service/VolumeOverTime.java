package io.palabre.dashboard.service;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Mentions per hour or day of a window, split by platform, language or listening query, and filtered by any of them:
 * the whole hours of the window from the roll-up ({@link ActivityRollup}), the partial hours at its ends from the
 * mentions themselves, so the counts are exact for any window and read at most a few hundred rows plus two hours of
 * mentions.
 */
@ApplicationScoped
public class VolumeOverTime {

    /** The count of one bucket, under the value of the split. */
    public record Count(String key, Instant bucket, long mentions) {
    }

    private final ReadLanes lanes;

    public VolumeOverTime(ReadLanes lanes) {
        this.lanes = lanes;
    }

    /**
     * Counts per bucket ({@code hour} or {@code day}) of [from, to), by {@code split} ({@code none}, {@code platform},
     * {@code lang} or {@code query}); platform, lang and query, when not null, keep only those mentions.
     */
    public List<Count> counts(String unit, String split, Instant from, Instant to, String platform, String lang,
            String query) throws SQLException {
        Instant wholeFrom = from.truncatedTo(ChronoUnit.HOURS);
        if (wholeFrom.isBefore(from)) {
            wholeFrom = wholeFrom.plus(1, ChronoUnit.HOURS);
        }
        Instant wholeTo = to.truncatedTo(ChronoUnit.HOURS);
        List<Object> params = new ArrayList<>();
        StringBuilder rolled = new StringBuilder("select " + key(split, "r") + " as k, r.hour as b, r.mentions as c "
                + "from activity_hourly r where r.hour >= ? and r.hour < ?");
        StringBuilder edges = new StringBuilder("select " + key(split, "m") + " as k, m.created_at as b, 1 as c "
                + "from mention m where m.kind <> 'delete' and not m.deleted and ((m.created_at >= ? and "
                + "m.created_at < ?) or (m.created_at >= ? and m.created_at < ?))");
        if (wholeFrom.isBefore(wholeTo)) {
            params.addAll(List.of(Timestamp.from(wholeFrom), Timestamp.from(wholeTo)));
            filters(rolled, "r", params, platform, lang, query);
            params.addAll(List.of(Timestamp.from(from), Timestamp.from(wholeFrom), Timestamp.from(wholeTo),
                    Timestamp.from(to)));
        } else { // no whole hour: all of it from the mentions
            params.addAll(List.of(Timestamp.from(from), Timestamp.from(from)));
            filters(rolled, "r", params, platform, lang, query);
            params.addAll(List.of(Timestamp.from(from), Timestamp.from(to), Timestamp.from(to), Timestamp.from(to)));
        }
        filters(edges, "m", params, platform, lang, query);
        String sql = "select k, date_trunc('" + ("hour".equals(unit) ? "hour" : "day") + "', b at time zone 'UTC') "
                + "as bucket, sum(c) from (" + rolled + " union all " + edges + ") x group by k, bucket "
                + "having sum(c) > 0 order by k, bucket";
        List<Count> counts = new ArrayList<>();
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(new Count(rs.getString(1), rs.getTimestamp(2).toLocalDateTime().toInstant(
                            ZoneOffset.UTC), rs.getLong(3)));
                }
            }
        }
        return counts;
    }

    /** The same counts grouped into series by key, in order. */
    public static Map<String, List<Count>> byKey(List<Count> counts) {
        Map<String, List<Count>> series = new LinkedHashMap<>();
        counts.forEach(c -> series.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c));
        return series;
    }

    /** The split's value of a row of the roll-up ({@code r}) or of the mentions ({@code m}), named alike. */
    private static String key(String split, String alias) {
        boolean rolled = alias.equals("r");
        return switch (split) {
            case "platform" -> alias + ".platform";
            case "lang" -> rolled ? "case when r.lang = chr(1) then 'unknown' else r.lang end"
                    : "coalesce(m.lang, 'unknown')";
            case "query" -> rolled ? "case when r.query = chr(1) then 'none' else r.query end"
                    : "coalesce(m.query, 'none')";
            default -> "'all'";
        };
    }

    private static void filters(StringBuilder sql, String alias, List<Object> params, String platform, String lang,
            String query) {
        if (platform != null) {
            sql.append(" and ").append(alias).append(".platform = ?");
            params.add(platform);
        }
        if (lang != null) {
            sql.append(" and ").append(alias).append(".lang = ?");
            params.add(lang);
        }
        if (query != null) {
            sql.append(" and ").append(alias).append(".query = ?");
            params.add(query);
        }
    }
}
