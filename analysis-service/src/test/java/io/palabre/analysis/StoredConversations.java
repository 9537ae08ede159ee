package io.palabre.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.palabre.analysis.threading.MergedConversations;

/** What analysis-service stored, read back for tests. */
public final class StoredConversations {

    private StoredConversations() {
    }

    /** The live conversation of a stored mention (merges resolved), or null when it is not stored. */
    public static String conversationOf(DataSource dataSource, String mentionId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select " + MergedConversations.CONVERSATION + " from "
                        + MergedConversations.MENTIONS + " where m.id = ?")) {
            ps.setString(1, mentionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
