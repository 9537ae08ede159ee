package io.palabre.analysis.dialogue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.service.OrganisationAccounts;
import io.palabre.analysis.threading.MergedConversations;
import io.palabre.dialogue.DialogueCalculator;
import io.palabre.dialogue.DialogueMetrics;
import io.palabre.dialogue.DialogueSql;
import io.palabre.dialogue.Interaction;
import io.quarkus.agroal.DataSource;

/**
 * Loads the posts around an organisation account from the stored mentions and computes its dialogue metrics
 * over a window.
 */
@ApplicationScoped
public class DialogueService {

    /** How many unanswered mentions a metrics record lists (the oldest); the count covers all of them. */
    public static final int QUEUE_LIMIT = 100;

    private static final String COLUMNS = "m.id, " + MergedConversations.CONVERSATION + ", m.author_id, m.created_at, m.kind, "
            + "m.reply_to_id, m.reply_to_author_id, m.mentioned_ids, m.quote_author_id, m.repost_author_id";

    private final AgroalDataSource dataSource;
    private final AgroalDataSource requests;
    private final OrganisationAccounts organisations;
    private final ObjectMapper mapper;

    public DialogueService(AgroalDataSource dataSource, @DataSource("requests") AgroalDataSource requests,
            OrganisationAccounts organisations, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.requests = requests;
        this.organisations = organisations;
        this.mapper = mapper;
    }

    public boolean isOrganisationAccount(String accountId) {
        return organisations.contains(accountId);
    }

    /** Dialogue metrics for the scheduled snapshots. */
    public DialogueMetrics compute(String account, String window, Instant from, Instant to) throws SQLException {
        return compute(dataSource, account, window, from, to);
    }

    /** Dialogue metrics asked over the REST API: on its pool, under its statement time limit. */
    public DialogueMetrics computeForRequest(String account, Instant from, Instant to) throws SQLException {
        return compute(requests, account, "custom", from, to);
    }

    private DialogueMetrics compute(AgroalDataSource source, String account, String window, Instant from, Instant to)
            throws SQLException {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                List<Interaction> toward = load(c, "select " + COLUMNS + ", m.payload from "
                        + "organisation_interaction i join mention m on m.id = i.mention_id "
                        + "left join merged_conversation g on g.id = m.conversation_id where i.account_id = ? "
                        + "and i.created_at >= ? and i.created_at < ? and not m.deleted and m.author_id <> ?",
                        account, from, to, account);
                List<Interaction> own = load(c, "select " + COLUMNS + ", null from " + MergedConversations.MENTIONS
                        + " where not m.deleted and m.author_id = ? and m.created_at >= ?", account, from);
                Set<String> conversations = DialogueCalculator.conversationsBefore(own, to);
                List<Interaction> replies = conversations.isEmpty() ? List.of() : load(c, "select " + COLUMNS
                        + ", null from " + MergedConversations.MENTIONS + " where not m.deleted and "
                        + "m.kind <> 'repost' and m.reply_to_author_id is not null and m.created_at >= ? and m.created_at < ? and "
                        + "m.conversation_id = any(" + MergedConversations.WITH_FRAGMENTS + ")", from, to,
                        conversations, conversations);
                Set<String> bots = DialogueSql.bots(c, toward, replies);
                DialogueCalculator calculator = new DialogueCalculator(organisations.ids(), bots, QUEUE_LIMIT);
                return calculator.compute(account, window, from, to,
                        new DialogueCalculator.Inputs(toward, own, replies), Instant.now());
            } finally {
                c.rollback();
            }
        }
    }

    private List<Interaction> load(Connection c, String sql, Object... params) throws SQLException {
        List<Interaction> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            DialogueSql.bind(c, ps, params);
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String payload = rs.getString(11);
                    String url = null;
                    String text = null;
                    if (payload != null) {
                        JsonNode json = parse(payload);
                        url = json.path("url").isTextual() ? json.get("url").asText() : null;
                        text = json.path("text").asText(null);
                    }
                    rows.add(new Interaction(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                            Set.of((String[]) rs.getArray(8).getArray()), rs.getString(9), rs.getString(10), url,
                            text));
                }
            }
        }
        return rows;
    }

    private JsonNode parse(String payload) {
        try {
            return mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored payload is not JSON", e);
        }
    }
}
