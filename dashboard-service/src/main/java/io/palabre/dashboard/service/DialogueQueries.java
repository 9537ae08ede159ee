package io.palabre.dashboard.service;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.palabre.dashboard.dialogue.DialogueCalculator;
import io.palabre.dashboard.dialogue.DialogueMetrics;
import io.palabre.dashboard.dialogue.DialogueSql;
import io.palabre.dashboard.dialogue.Interaction;

/**
 * Dialogue metrics over any window, and as a time series, computed from the read model (docs/dialogue-metrics.md):
 * the posts around the account are loaded once, and each window or bucket is a calculation over them.
 */
@ApplicationScoped
public class DialogueQueries {

    /** How many unanswered mentions a response lists (the oldest); the count covers all of them. */
    public static final int QUEUE_LIMIT = 100;

    // The relationships of a mention, as "type account" pairs, rebuild what it answers, names, quotes or reposts.
    private static final String COLUMNS = "m.id, m.conversation_id, m.author_id, m.created_at, m.kind, m.reply_to_id, "
            + "m.url, m.text, array(select r.type || ' ' || r.target_id from mention_relationship r "
            + "where r.mention_id = m.id)";

    private final ReadLanes lanes;

    public DialogueQueries(ReadLanes lanes) {
        this.lanes = lanes;
    }

    /** One point of a dialogue time series: the metrics of the bucket starting at {@code at}. */
    public record Point(Instant at, int peopleMentions, int answered, Double responseRate,
            Long medianFirstResponseSeconds, Long p90FirstResponseSeconds, int unansweredCount, int dialogues,
            int upwardFlow, int downwardFlow) {
    }

    /** The metrics of [from, to), under the window's name. */
    public DialogueMetrics window(String account, Set<String> organisationAccounts, String label, Instant from,
            Instant to) throws SQLException {
        return window(account, organisationAccounts, label, from, to, QUEUE_LIMIT);
    }

    /** The metrics of [from, to), listing at most {@code queueLimit} unanswered mentions, the oldest. */
    public DialogueMetrics window(String account, Set<String> organisationAccounts, String label, Instant from,
            Instant to, int queueLimit) throws SQLException {
        Loaded loaded = load(account, organisationAccounts, from, to, queueLimit);
        return loaded.calculator.compute(account, label, from, to, loaded.inputs, Instant.now());
    }

    /** The metrics of a window with the waits and exchanges behind them. */
    public record Detailed(DialogueMetrics metrics, DialogueCalculator.Details details) {
    }

    /** The metrics of [from, to) and the waits and exchanges behind them, from one load. */
    public Detailed detailed(String account, Set<String> organisationAccounts, String label, Instant from,
            Instant to) throws SQLException {
        Loaded loaded = load(account, organisationAccounts, from, to, QUEUE_LIMIT);
        return new Detailed(loaded.calculator.compute(account, label, from, to, loaded.inputs, Instant.now()),
                loaded.calculator.details(account, from, to, loaded.inputs));
    }

    /** The metrics of each bucket of {@code step} from {@code from} until {@code to}. */
    public List<Point> series(String account, Set<String> organisationAccounts, Instant from, Instant to,
            Duration step) throws SQLException {
        Loaded loaded = load(account, organisationAccounts, from, to, QUEUE_LIMIT);
        Instant now = Instant.now();
        List<Point> points = new ArrayList<>();
        for (Instant at = from; at.isBefore(to); at = at.plus(step)) {
            Instant end = at.plus(step).isAfter(to) ? to : at.plus(step);
            DialogueMetrics m = loaded.calculator.compute(account, "bucket", at, end, loaded.inputs, now);
            points.add(new Point(at, m.peopleMentions(), m.answered(), m.responseRate(),
                    m.medianFirstResponseSeconds(), m.p90FirstResponseSeconds(), m.unansweredCount(),
                    m.dialogues(), m.upwardFlow(), m.downwardFlow()));
        }
        return points;
    }

    private record Loaded(DialogueCalculator calculator, DialogueCalculator.Inputs inputs, Set<String> bots) {
    }

    /**
     * The posts around an account over [from, to), loaded once, from which the answers to people's mentions in any
     * window inside it are found: what several alert rules on one account share in one evaluation.
     */
    public static final class Prepared {
        private final Set<String> organisationAccounts;
        private final Set<String> bots;
        private final DialogueCalculator.Inputs inputs;

        private Prepared(Set<String> organisationAccounts, Set<String> bots, DialogueCalculator.Inputs inputs) {
            this.organisationAccounts = organisationAccounts;
            this.bots = bots;
            this.inputs = inputs;
        }

        /** Whether and when the account answered each of people's mentions of [from, to), oldest first. */
        public List<DialogueCalculator.Wait> waits(String account, Instant from, Instant to) {
            return new DialogueCalculator(organisationAccounts, bots, 0).waits(account, from, to, inputs);
        }
    }

    public Prepared prepare(String account, Set<String> organisationAccounts, Instant from, Instant to)
            throws SQLException {
        Loaded loaded = load(account, organisationAccounts, from, to, 0);
        return new Prepared(organisationAccounts, loaded.bots, loaded.inputs);
    }

    private Loaded load(String account, Set<String> organisationAccounts, Instant from, Instant to, int queueLimit)
            throws SQLException {
        try (ReadLanes.Read read = lanes.open()) {
            Connection c = read.c();
            List<Interaction> toward = interactions(c, "select " + COLUMNS + " from mention m where m.id in ("
                    + "select mention_id from mention_relationship where target_id = ? and created_at >= ? "
                    + "and created_at < ?) and not m.deleted and m.author_id <> ?", account, from, to, account);
            List<Interaction> own = interactions(c, "select " + COLUMNS + " from mention m where "
                    + "m.author_id = ? and m.created_at >= ? and not m.deleted", account, from);
            Set<String> conversations = DialogueCalculator.conversationsBefore(own, to);
            List<Interaction> replies = conversations.isEmpty() ? List.of() : interactions(c, "select "
                    + COLUMNS + " from mention m where m.conversation_id = any(?) and m.created_at >= ? and "
                    + "m.created_at < ? and m.reply_to_id is not null and m.kind <> 'repost' and not m.deleted",
                    conversations, from, to);
            Set<String> bots = DialogueSql.bots(c, toward, replies);
            return new Loaded(new DialogueCalculator(organisationAccounts, bots, queueLimit),
                    new DialogueCalculator.Inputs(toward, own, replies), bots);
        }
    }

    private static List<Interaction> interactions(Connection c, String sql, Object... params) throws SQLException {
        List<Interaction> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            DialogueSql.bind(c, ps, params);
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(interaction(rs));
                }
            }
        }
        return rows;
    }

    private static Interaction interaction(ResultSet rs) throws SQLException {
        String replyToAuthor = null;
        String quoteAuthor = null;
        String repostAuthor = null;
        Set<String> mentioned = new HashSet<>();
        Array relationships = rs.getArray(9);
        for (String pair : (String[]) relationships.getArray()) {
            int space = pair.indexOf(' ');
            String target = pair.substring(space + 1);
            switch (pair.substring(0, space)) {
                case "reply" -> replyToAuthor = target;
                case "quote" -> quoteAuthor = target;
                case "repost" -> repostAuthor = target;
                default -> mentioned.add(target);
            }
        }
        return new Interaction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getString(5), rs.getString(6), replyToAuthor, Set.copyOf(mentioned), quoteAuthor, repostAuthor,
                rs.getString(7), rs.getString(8));
    }
}
