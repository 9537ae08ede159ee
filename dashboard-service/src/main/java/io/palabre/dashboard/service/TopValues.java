package io.palabre.dashboard.service;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The most used hashtags or links of a window, filtered by platform, language and listening query: whole days from
 * {@code tag_daily}, whole hours around them from {@code tag_hourly}, the cut hours at the window's ends from the
 * mentions ({@link TagRollup}). Exact for any window; an open end reaches every stored mention that way.
 */
@ApplicationScoped
public class TopValues {

    /** A hashtag or link and the mentions that use it. */
    public record Count(String value, long mentions) {
    }

    /** A part of the window, read at one level: {@code day}, {@code hour} or {@code mention}; null ends are open. */
    record Span(String level, Instant from, Instant to) {
    }

    private final ReadLanes lanes;

    public TopValues(ReadLanes lanes) {
        this.lanes = lanes;
    }

    /** The {@code limit} most used values of {@code kind} ({@code hashtags} or {@code links}) in [from, to). */
    public List<Count> top(String kind, Instant from, Instant to, String platform, String lang, String query,
            int limit) throws SQLException {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Span span : spans(from, to)) {
            StringBuilder part;
            String alias;
            if (span.level().equals("mention")) {
                alias = "m";
                part = new StringBuilder("select v, 1 as c from mention m, unnest(m." + ("links".equals(kind)
                        ? "links" : "hashtags") + ") as v where m.kind <> 'delete' and not m.deleted");
                bound(part, "m.created_at", span, params);
            } else {
                alias = "t";
                String table = span.level().equals("day") ? "tag_daily" : "tag_hourly";
                part = new StringBuilder("select t.value as v, t.mentions as c from " + table + " t where t.kind = ?");
                params.add(kind);
                bound(part, "t." + span.level(), span, params);
            }
            filter(part, alias + ".platform", platform, params);
            filter(part, alias + ".lang", lang, params);
            filter(part, alias + ".query", query, params);
            parts.add(part.toString());
        }
        String sql = "select v, sum(c) from (" + String.join(" union all ", parts) + ") x group by v "
                + "having sum(c) > 0 order by sum(c) desc, v limit " + limit;
        List<Count> top = new ArrayList<>();
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    top.add(new Count(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return top;
    }

    /**
     * The window cut into whole days, the whole hours around them, and the cut hours at its ends, none empty.
     * A null end is open.
     */
    static List<Span> spans(Instant from, Instant to) {
        Instant hourFrom = ceil(from, ChronoUnit.HOURS);
        Instant hourTo = floor(to, ChronoUnit.HOURS);
        List<Span> spans = new ArrayList<>();
        if (!before(hourFrom, hourTo)) {
            spans.add(new Span("mention", from, to));
            return spans;
        }
        Instant dayFrom = ceil(from, ChronoUnit.DAYS);
        Instant dayTo = floor(to, ChronoUnit.DAYS);
        if (before(dayFrom, dayTo)) {
            spans.add(new Span("day", dayFrom, dayTo));
            if (from != null) {
                spans.add(new Span("hour", hourFrom, dayFrom));
            }
            if (to != null) {
                spans.add(new Span("hour", dayTo, hourTo));
            }
        } else {
            spans.add(new Span("hour", hourFrom, hourTo));
        }
        if (from != null) {
            spans.add(new Span("mention", from, hourFrom));
        }
        if (to != null) {
            spans.add(new Span("mention", hourTo, to));
        }
        spans.removeIf(s -> s.from() != null && s.to() != null && !s.from().isBefore(s.to()));
        return spans;
    }

    /** Whether a comes before b, a null a being the open start and a null b the open end. */
    private static boolean before(Instant a, Instant b) {
        return a == null || b == null || a.isBefore(b);
    }

    private static Instant floor(Instant at, ChronoUnit unit) {
        return at == null ? null : at.truncatedTo(unit);
    }

    private static Instant ceil(Instant at, ChronoUnit unit) {
        if (at == null) {
            return null;
        }
        Instant floor = at.truncatedTo(unit);
        return floor.equals(at) ? at : floor.plus(1, unit);
    }

    private static void bound(StringBuilder sql, String column, Span span, List<Object> params) {
        if (span.from() != null) {
            sql.append(" and ").append(column).append(" >= ?");
            params.add(Timestamp.from(span.from()));
        }
        if (span.to() != null) {
            sql.append(" and ").append(column).append(" < ?");
            params.add(Timestamp.from(span.to()));
        }
    }

    private static void filter(StringBuilder sql, String column, String value, List<Object> params) {
        if (value != null) {
            sql.append(" and ").append(column).append(" = ?");
            params.add(value);
        }
    }
}
