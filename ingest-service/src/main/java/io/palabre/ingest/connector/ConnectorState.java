package io.palabre.ingest.connector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * What connectors persist: where each stopped (so that a restart, even after kill -9, resumes there) and what
 * each knows it could not collect.
 */
@ApplicationScoped
public class ConnectorState {

    private final AgroalDataSource dataSource;

    public ConnectorState(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A range or an item a connector could not collect. */
    public record Gap(String connector, String scope, String kind, Instant from, Instant to, String item,
            String reason, Instant recordedAt) {
    }

    public Optional<String> cursor(String connector, String scope) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select cursor from connector_cursor where connector = ? and scope = ?")) {
            ps.setString(1, connector);
            ps.setString(2, scope);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the cursor of " + connector, e);
        }
    }

    public void saveCursor(String connector, String scope, String cursor) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into connector_cursor (connector, scope, cursor, updated_at) values (?, ?, ?, now()) "
                        + "on conflict (connector, scope) do update set cursor = excluded.cursor, updated_at = now()")) {
            ps.setString(1, connector);
            ps.setString(2, scope);
            ps.setString(3, cursor);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot save the cursor of " + connector, e);
        }
    }

    public void recordGap(Gap gap) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into collection_gap (connector, scope, kind, from_at, to_at, item, reason, recorded_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, gap.connector());
            ps.setString(2, gap.scope());
            ps.setString(3, gap.kind());
            ps.setTimestamp(4, gap.from() == null ? null : Timestamp.from(gap.from()));
            ps.setTimestamp(5, gap.to() == null ? null : Timestamp.from(gap.to()));
            ps.setString(6, gap.item());
            ps.setString(7, gap.reason());
            ps.setTimestamp(8, Timestamp.from(gap.recordedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record a gap of " + gap.connector(), e);
        }
    }

    /** The latest gaps of a connector, newest first. */
    public List<Gap> gaps(String connector, int limit) {
        List<Gap> gaps = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select connector, scope, kind, from_at, to_at, item, reason, recorded_at from collection_gap "
                        + "where connector = ? order by recorded_at desc, id desc limit ?")) {
            ps.setString(1, connector);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gaps.add(new Gap(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)), rs.getString(6), rs.getString(7),
                            instant(rs.getTimestamp(8))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the gaps of " + connector, e);
        }
        return gaps;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
