package io.palabre.dashboard.dialogue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What loading a calculation's inputs needs from the read model: binding the window and the conversation
 * sets, and the bots among the authors.
 */
public final class DialogueSql {

    private DialogueSql() {
    }

    /** Binds instants as timestamps, sets as text arrays and anything else as text, in order. */
    public static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant at) {
                ps.setTimestamp(i + 1, Timestamp.from(at));
            } else if (p instanceof Set<?> set) {
                ps.setArray(i + 1, c.createArrayOf("text", set.toArray()));
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    /** The authors of these posts, and the authors they answer, that the platform flags as bots. */
    public static Set<String> bots(Connection c, List<Interaction> toward, List<Interaction> replies)
            throws SQLException {
        Set<String> authors = new HashSet<>();
        toward.forEach(p -> authors.add(p.authorId()));
        replies.forEach(p -> {
            authors.add(p.authorId());
            if (p.replyToAuthorId() != null) {
                authors.add(p.replyToAuthorId());
            }
        });
        Set<String> bots = new HashSet<>();
        if (authors.isEmpty()) {
            return bots;
        }
        try (PreparedStatement ps = c.prepareStatement("select id from account where bot and id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", authors.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bots.add(rs.getString(1));
                }
            }
        }
        return bots;
    }
}
