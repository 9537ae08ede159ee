package io.palabre.ingest.connector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * What streams delivered, kept in ingest-service's database so that the deletes they announce later, even after a
 * restart, reach the posts Palabre may hold: the authors Jetstream published posts of (its deletes name only the
 * author and the record), and the statuses a Mastodon stream delivered (its deletes carry only the instance-local
 * id). Lookups go through bounded caches, a miss through the database.
 */
@ApplicationScoped
public class StreamedPosts {

    private static final int CACHED = 200_000;

    private final AgroalDataSource dataSource;
    private final Set<String> knownAuthors = Collections.newSetFromMap(lru());
    private final Set<String> unknownAuthors = Collections.newSetFromMap(lru());

    public StreamedPosts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A post delivered by a Mastodon stream: its global id and author. */
    public record Status(String globalId, String authorId) {
    }

    private static <K> Map<K, Boolean> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
                return size() > CACHED;
            }
        };
    }

    /** Remembers authors whose posts were published; returns once the database has them. */
    public void authorsCaptured(Collection<String> authorIds) throws SQLException {
        if (authorIds.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into captured_author (author_id, first_captured_at) select a, now() from unnest(?::text[]) "
                        + "as a on conflict do nothing")) {
            ps.setArray(1, c.createArrayOf("text", authorIds.toArray()));
            ps.executeUpdate();
        }
        synchronized (this) {
            knownAuthors.addAll(authorIds);
            unknownAuthors.removeAll(authorIds);
        }
    }

    /** Whether a stream published any post of this author, so that Palabre may hold one. */
    public boolean authorCaptured(String authorId) throws SQLException {
        synchronized (this) {
            if (knownAuthors.contains(authorId)) {
                return true;
            }
            if (unknownAuthors.contains(authorId)) {
                return false;
            }
        }
        boolean known;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from captured_author where author_id = ?")) {
            ps.setString(1, authorId);
            try (ResultSet rs = ps.executeQuery()) {
                known = rs.next();
            }
        }
        synchronized (this) {
            (known ? knownAuthors : unknownAuthors).add(authorId);
        }
        return known;
    }

    /** Remembers a status a Mastodon stream delivered. */
    public void statusDelivered(String instance, String localId, Status status) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into stream_status (instance, local_id, global_id, author_id, seen_at) values (?, ?, ?, ?, ?) "
                        + "on conflict (instance, local_id) do update set seen_at = excluded.seen_at")) {
            ps.setString(1, instance);
            ps.setString(2, localId);
            ps.setString(3, status.globalId());
            ps.setString(4, status.authorId());
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** The status a Mastodon stream delivered under this instance-local id, if it did. */
    public Optional<Status> status(String instance, String localId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select global_id, author_id from stream_status where instance = ? and local_id = ?")) {
            ps.setString(1, instance);
            ps.setString(2, localId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Status(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** Forgets statuses delivered before the given time; returns how many. */
    public int forgetStatusesBefore(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from stream_status where seen_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        }
    }
}
