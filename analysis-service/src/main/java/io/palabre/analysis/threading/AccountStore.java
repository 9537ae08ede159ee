package io.palabre.analysis.threading;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import io.palabre.analysis.domain.MentionCaptured;

/**
 * The {@code account} table: a commutative, idempotent summary of every version received of every post (duplicates and
 * edits too), so that it depends neither on which version came first nor on replays.
 */
final class AccountStore {

    private static final String UPSERT = "insert into account (id, platform, handle, handle_seen_at, display_name, "
            + "display_name_seen_at, bot, first_seen_at, last_seen_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "on conflict (id) do update set "
            + "handle = case when " + newer("handle") + " then excluded.handle else account.handle end, "
            + "handle_seen_at = case when " + newer("handle") + " then excluded.handle_seen_at "
            + "else account.handle_seen_at end, "
            + "display_name = case when " + newer("display_name") + " then excluded.display_name "
            + "else account.display_name end, "
            + "display_name_seen_at = case when " + newer("display_name") + " then excluded.display_name_seen_at "
            + "else account.display_name_seen_at end, "
            + "bot = account.bot or excluded.bot, "
            + "first_seen_at = least(account.first_seen_at, excluded.first_seen_at), "
            + "last_seen_at = greatest(account.last_seen_at, excluded.last_seen_at)";

    private AccountStore() {
    }

    /** Adds what these posts (not deletes) say of their authors and of the accounts they name. */
    static void upsert(Connection c, Collection<MentionCaptured> received) throws SQLException {
        Map<String, AccountSeen> accounts = new TreeMap<>();
        for (MentionCaptured m : received) {
            accounts.computeIfAbsent(m.author().id(), id -> new AccountSeen(id, m.platform()))
                    .saw(m.createdAt(), m.author().handle(), m.author().displayName(), m.author().bot());
            if (m.mentions() != null) {
                for (MentionCaptured.MentionedAccount named : m.mentions()) {
                    if (named.id() != null) {
                        accounts.computeIfAbsent(named.id(), id -> new AccountSeen(id, m.platform()))
                                .saw(m.createdAt(), named.handle(), null, false);
                    }
                }
            }
        }
        if (accounts.isEmpty()) {
            return;
        }
        // Each name is the one of the latest post that gives it (ties: the smaller).
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (AccountSeen a : accounts.values()) {
                ps.setString(1, a.id);
                ps.setString(2, a.platform);
                ps.setString(3, a.handle);
                ps.setTimestamp(4, a.handleAt == null ? null : Timestamp.from(a.handleAt));
                ps.setString(5, a.displayName);
                ps.setTimestamp(6, a.displayNameAt == null ? null : Timestamp.from(a.displayNameAt));
                ps.setBoolean(7, a.bot);
                ps.setTimestamp(8, Timestamp.from(a.first));
                ps.setTimestamp(9, Timestamp.from(a.last));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String newer(String column) {
        return "excluded." + column + " is not null and (account." + column + " is null or excluded." + column
                + "_seen_at > account." + column + "_seen_at or excluded." + column + "_seen_at = account." + column
                + "_seen_at and excluded." + column + " < account." + column + ")";
    }

    /** What one batch saw of an account. */
    private static final class AccountSeen {
        final String id;
        final String platform;
        String handle;
        Instant handleAt;
        String displayName;
        Instant displayNameAt;
        boolean bot;
        Instant first;
        Instant last;

        AccountSeen(String id, String platform) {
            this.id = id;
            this.platform = platform;
        }

        void saw(Instant at, String handle, String displayName, boolean bot) {
            if (handle != null && (handleAt == null || at.isAfter(handleAt)
                    || at.equals(handleAt) && smaller(handle, this.handle))) {
                this.handle = handle;
                handleAt = at;
            }
            if (displayName != null && (displayNameAt == null || at.isAfter(displayNameAt)
                    || at.equals(displayNameAt) && smaller(displayName, this.displayName))) {
                this.displayName = displayName;
                displayNameAt = at;
            }
            last = last == null || at.isAfter(last) ? at : last;
            first = first == null || at.isBefore(first) ? at : first;
            this.bot |= bot;
        }

        private static boolean smaller(String candidate, String current) {
            return candidate != null && (current == null || candidate.compareTo(current) < 0);
        }
    }
}
