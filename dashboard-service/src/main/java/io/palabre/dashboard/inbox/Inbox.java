package io.palabre.dashboard.inbox;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.dialogue.DialogueMetrics;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.dashboard.service.DialogueQueries;

/**
 * The people waiting for an answer from an organisation account: the unanswered mentions of the dialogue metrics
 * (docs/dialogue-metrics.md), oldest first, with what the team did about each. "Handled" is the team's decision and
 * takes an item out of the open queue; it never counts as an answer, which only a public reply is.
 */
@ApplicationScoped
public class Inbox {

    /** The most unanswered mentions an inbox reads. */
    public static final int MAX_ITEMS = 10_000;

    private final AgroalDataSource dataSource;
    private final DialogueQueries dialogue;

    public Inbox(AgroalDataSource dataSource, DialogueQueries dialogue) {
        this.dataSource = dataSource;
        this.dialogue = dialogue;
    }

    /** Which items to list. */
    public record Filter(String platform, String lang, Duration minAge, Duration maxAge, String state,
            String assignedTo) {
    }

    /** One person waiting. */
    public record Item(String mentionId, String conversationId, String platform, String lang, String authorId,
            String authorHandle, Instant createdAt, long waitingSeconds, String url, String text, String assignedTo,
            String assignedBy, Instant assignedAt, String handledBy, Instant handledAt) {
    }

    /**
     * The items, oldest first: {@code waiting} counts the unanswered mentions of the window before filters, and
     * {@code handled} those the team marked.
     */
    public record Page(String accountId, Instant from, Instant to, int waiting, int handled, boolean truncated,
            List<Item> items) {
    }

    /** What the team recorded about one mention. */
    private record Marks(String assignedTo, String assignedBy, Instant assignedAt, String handledBy,
            Instant handledAt) {
    }

    private record Facts(String platform, String lang, String handle) {
    }

    public Page list(String account, Set<String> organisation, Instant from, Instant now, Filter filter, int limit)
            throws SQLException {
        DialogueMetrics m = dialogue.window(account, organisation, "inbox", from, now, MAX_ITEMS);
        List<String> ids = m.unanswered().stream().map(DialogueMetrics.Unanswered::mentionId).toList();
        Map<String, Marks> marks = marks(account, ids);
        Map<String, Facts> facts = facts(ids);
        int handled = (int) marks.values().stream().filter(k -> k.handledAt() != null).count();
        List<Item> items = new ArrayList<>();
        for (DialogueMetrics.Unanswered u : m.unanswered()) {
            Facts f = facts.getOrDefault(u.mentionId(), new Facts(null, null, null));
            Marks k = marks.getOrDefault(u.mentionId(), new Marks(null, null, null, null, null));
            Duration age = Duration.between(u.createdAt(), now);
            boolean isHandled = k.handledAt() != null;
            if (filter.platform() != null && !filter.platform().equals(f.platform())
                    || filter.lang() != null && !filter.lang().equals(f.lang())
                    || filter.minAge() != null && age.compareTo(filter.minAge()) < 0
                    || filter.maxAge() != null && age.compareTo(filter.maxAge()) > 0
                    || "open".equals(filter.state()) && isHandled || "handled".equals(filter.state()) && !isHandled
                    || filter.assignedTo() != null && !filter.assignedTo().equals(k.assignedTo())) {
                continue;
            }
            if (items.size() == limit) {
                break;
            }
            items.add(new Item(u.mentionId(), u.conversationId(), f.platform(), f.lang(), u.authorId(), f.handle(),
                    u.createdAt(), age.toSeconds(), u.url(), u.text(), k.assignedTo(), k.assignedBy(),
                    k.assignedAt(), k.handledBy(), k.handledAt()));
        }
        return new Page(account, from, now, m.unansweredCount(), handled, m.unansweredCount() > ids.size(), items);
    }

    /** Whether this mention is addressed to the account (it answers, names, quotes or reposts it). */
    public boolean addressedTo(String account, String mentionId) throws SQLException {
        return Jdbc.one(dataSource, "select 1 from mention_relationship where mention_id = ? and target_id = ?",
                ps -> {
                    ps.setString(1, mentionId);
                    ps.setString(2, account);
                }, rs -> true).isPresent();
    }

    /**
     * Records an assignment ({@code assign}: set {@code assignedTo}, null to unassign) and the handled mark
     * ({@code handled}: null leaves it), by {@code who}, now; returns the item's marks.
     */
    public Optional<Map<String, Object>> mark(String account, String mentionId, boolean assign, String assignedTo,
            Boolean handled, String who, Instant now) throws SQLException {
        Jdbc.transaction(dataSource, c -> {
            try (var ps = c.prepareStatement("insert into inbox_item (account_id, mention_id) values (?, ?) "
                    + "on conflict do nothing")) {
                ps.setString(1, account);
                ps.setString(2, mentionId);
                ps.executeUpdate();
            }
            if (assign) {
                try (var ps = c.prepareStatement("update inbox_item set assigned_to = ?, assigned_by = ?, "
                        + "assigned_at = ? where account_id = ? and mention_id = ?")) {
                    ps.setString(1, assignedTo);
                    ps.setString(2, assignedTo == null ? null : who);
                    ps.setObject(3, assignedTo == null ? null : Jdbc.at(now));
                    ps.setString(4, account);
                    ps.setString(5, mentionId);
                    ps.executeUpdate();
                }
            }
            if (handled != null) {
                try (var ps = c.prepareStatement("update inbox_item set handled_by = ?, handled_at = ? "
                        + "where account_id = ? and mention_id = ?")) {
                    ps.setString(1, handled ? who : null);
                    ps.setObject(2, handled ? Jdbc.at(now) : null);
                    ps.setString(3, account);
                    ps.setString(4, mentionId);
                    ps.executeUpdate();
                }
            }
        });
        Marks k = marks(account, List.of(mentionId)).get(mentionId);
        if (k == null) {
            return Optional.empty();
        }
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("accountId", account);
        view.put("mentionId", mentionId);
        view.put("assignedTo", k.assignedTo());
        view.put("assignedBy", k.assignedBy());
        view.put("assignedAt", k.assignedAt());
        view.put("handledBy", k.handledBy());
        view.put("handledAt", k.handledAt());
        return Optional.of(view);
    }

    private Map<String, Marks> marks(String account, List<String> ids) throws SQLException {
        Map<String, Marks> marks = new HashMap<>();
        if (ids.isEmpty()) {
            return marks;
        }
        Jdbc.query(dataSource, "select mention_id, assigned_to, assigned_by, assigned_at, handled_by, handled_at "
                + "from inbox_item where account_id = ? and mention_id = any(?)", ps -> {
                    ps.setString(1, account);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", ids.toArray()));
                }, rs -> marks.put(rs.getString(1), new Marks(rs.getString(2), rs.getString(3),
                        Jdbc.instant(rs, "assigned_at"), rs.getString(5), Jdbc.instant(rs, "handled_at"))));
        return marks;
    }

    private Map<String, Facts> facts(List<String> ids) throws SQLException {
        Map<String, Facts> facts = new HashMap<>();
        if (ids.isEmpty()) {
            return facts;
        }
        Jdbc.query(dataSource, "select id, platform, lang, author_handle from mention where id = any(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ids.toArray())),
                rs -> facts.put(rs.getString(1), new Facts(rs.getString(2), rs.getString(3), rs.getString(4))));
        return facts;
    }
}
