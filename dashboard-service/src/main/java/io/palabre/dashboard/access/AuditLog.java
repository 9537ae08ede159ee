package io.palabre.dashboard.access;

import static io.palabre.dashboard.repository.Jdbc.at;
import static io.palabre.dashboard.repository.Jdbc.instant;

import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.support.audit.AuditEvent;

/**
 * The audit log: the dashboard's own writes, recorded in the transaction that makes them, and the other services'
 * writes, as they arrive on topic {@code audit}. An event is stored once, however often it is delivered.
 */
@ApplicationScoped
public class AuditLog {

    /** Which events to list; null fields do not filter. {@code action} without a dot matches a family. */
    public record Filter(String actor, String action, String service, String target, Instant from, Instant to) {
    }

    /** One entry as served, with its position in the log ({@code seq}) for paging. */
    public record Entry(long seq, String id, Instant at, String service, String actor, String via, String action,
            String target, String outcome, JsonNode detail) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String INSERT = """
            insert into audit_event (id, at, service, actor, via, action, target, outcome, detail)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (id) do nothing""";
    private static final String QUERY = """
            select seq, id, at, service, actor, via, action, target, outcome, detail::text as detail
            from audit_event
            where (?::text is null or actor = ?)
              and (?::text is null or action = ? or action like ? || '.%')
              and (?::text is null or service = ?)
              and (?::text is null or target = ?)
              and (?::timestamptz is null or at >= ?)
              and (?::timestamptz is null or at < ?)
              and (at, seq) < (?, ?)
            order by at desc, seq desc limit ?""";

    private final AgroalDataSource db;

    public AuditLog(AgroalDataSource db) {
        this.db = db;
    }

    /** Stores an event, in the caller's transaction; false if it was stored already. */
    public boolean record(AuditEvent e) throws SQLException {
        return Jdbc.update(db, INSERT, ps -> {
            ps.setString(1, e.id());
            ps.setObject(2, at(e.at()));
            ps.setString(3, e.service());
            ps.setString(4, e.actor());
            ps.setString(5, e.via());
            ps.setString(6, e.action());
            ps.setString(7, e.target());
            ps.setString(8, e.outcome());
            ps.setString(9, e.detail() == null ? null : e.detail().toString());
        }) == 1;
    }

    /** Where a page of the log ends: the next page starts after this entry. */
    public record Position(Instant at, long seq) {

        public static final Position START = new Position(Instant.parse("9999-12-31T00:00:00Z"), Long.MAX_VALUE);

        /** The text of a cursor: microseconds since the epoch and the entry's number. */
        public String cursor() {
            return java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, at) + "_" + seq;
        }

        /** Reads a cursor; empty if it is not one of this log's. */
        public static java.util.Optional<Position> of(String cursor) {
            String[] parts = cursor.trim().split("_");
            try {
                return parts.length != 2 ? java.util.Optional.empty() : java.util.Optional.of(new Position(
                        Instant.EPOCH.plus(Long.parseLong(parts[0]), java.time.temporal.ChronoUnit.MICROS),
                        Long.parseLong(parts[1])));
            } catch (RuntimeException e) {
                return java.util.Optional.empty();
            }
        }
    }

    /**
     * The entries before {@code after}, newest first: by the time each write was made (the events of several
     * services and partitions arrive in any order), then by arrival.
     */
    public List<Entry> list(Filter f, Position after, int limit) throws SQLException {
        String family = f.action() == null ? null
                : f.action().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return Jdbc.query(db, QUERY, ps -> {
            int i = 1;
            i = pair(ps, i, f.actor());
            ps.setString(i++, f.action());
            ps.setString(i++, f.action());
            ps.setString(i++, family);
            i = pair(ps, i, f.service());
            i = pair(ps, i, f.target());
            ps.setObject(i++, at(f.from()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(i++, at(f.from()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(i++, at(f.to()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(i++, at(f.to()), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(i++, at(after.at()));
            ps.setLong(i++, after.seq());
            ps.setInt(i, limit);
        }, rs -> {
            String detail = rs.getString("detail");
            JsonNode node;
            try {
                node = detail == null ? null : MAPPER.readTree(detail);
            } catch (Exception e) {
                node = null;
            }
            return new Entry(rs.getLong("seq"), rs.getString("id"), instant(rs, "at"), rs.getString("service"),
                    rs.getString("actor"), rs.getString("via"), rs.getString("action"), rs.getString("target"),
                    rs.getString("outcome"), node);
        });
    }

    private static int pair(java.sql.PreparedStatement ps, int i, String value) throws SQLException {
        ps.setString(i, value);
        ps.setString(i + 1, value);
        return i + 2;
    }
}
