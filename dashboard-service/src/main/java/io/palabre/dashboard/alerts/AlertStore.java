package io.palabre.dashboard.alerts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.dashboard.service.Backoff;

/**
 * The alert tables: rules, alerts (their history) and deliveries (an outbox). An evaluation's alerts and their
 * deliveries are written in one transaction, so a delivery exists exactly when its alert fired or resolved.
 */
@ApplicationScoped
public class AlertStore {

    /** The first key of each rule's evaluation lock (the second is the rule's id). */
    private static final int EVALUATION_LOCKS = 0x616c7274;

    private static final String RULE_COLUMNS = "id, name, type, account_id, query, hashtag, threshold, window_minutes, "
            + "min_count, cooldown_minutes, webhook_url, webhook_format, webhook_secret, emails, enabled, created_by, "
            + "created_at, updated_at, evaluated_at";

    private static final String ALERT_COLUMNS = "a.id, a.rule_id, r.name, r.type, a.key, a.state, a.summary, "
            + "a.details::text, a.fired_at, a.resolved_at, a.evidence_at";

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public AlertStore(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** An alert as the API shows it. */
    public record Alert(long id, long ruleId, String ruleName, String type, String key, String state, String summary,
            Map<String, Object> details, Instant firedAt, Instant resolvedAt, Instant evidenceAt) {
    }

    /** A delivery as the API shows it. */
    public record Delivery(long id, long alertId, String event, String channel, String target, String status,
            int attempts, Instant nextAttemptAt, String lastError, Instant createdAt, Instant deliveredAt) {
    }

    // Rules

    public List<AlertRule> rules() throws SQLException {
        return Jdbc.query(dataSource, "select " + RULE_COLUMNS + " from alert_rule where not deleted order by id",
                Jdbc.Binder.NONE, AlertStore::rule);
    }

    public List<AlertRule> enabledRules() throws SQLException {
        return Jdbc.query(dataSource, "select " + RULE_COLUMNS + " from alert_rule where enabled and not deleted "
                + "order by id", Jdbc.Binder.NONE, AlertStore::rule);
    }

    public Optional<AlertRule> rule(long id) throws SQLException {
        return Jdbc.one(dataSource, "select " + RULE_COLUMNS + " from alert_rule where id = ? and not deleted",
                ps -> ps.setLong(1, id), AlertStore::rule);
    }

    /** Stores a new rule and returns it with its id. */
    public AlertRule insert(AlertRule r) throws SQLException {
        return Jdbc.one(dataSource, "insert into alert_rule (name, type, account_id, query, hashtag, threshold, "
                + "window_minutes, min_count, cooldown_minutes, webhook_url, webhook_format, webhook_secret, emails, "
                + "enabled, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?) returning " + RULE_COLUMNS, ps -> {
                    bindRule(ps, r);
                    ps.setString(15, r.createdBy());
                    ps.setObject(16, Jdbc.at(r.createdAt()));
                    ps.setObject(17, Jdbc.at(r.updatedAt()));
                }, AlertStore::rule).orElseThrow();
    }

    /** Replaces a rule's settings; empty when there is no such rule. */
    public Optional<AlertRule> update(long id, AlertRule r) throws SQLException {
        return Jdbc.one(dataSource, "update alert_rule set name = ?, type = ?, account_id = ?, query = ?, "
                + "hashtag = ?, threshold = ?, window_minutes = ?, min_count = ?, cooldown_minutes = ?, "
                + "webhook_url = ?, webhook_format = ?, webhook_secret = ?, emails = ?, enabled = ?, "
                + "updated_at = ? where id = ? and not deleted returning " + RULE_COLUMNS, ps -> {
                    bindRule(ps, r);
                    ps.setObject(15, Jdbc.at(r.updatedAt()));
                    ps.setLong(16, id);
                }, AlertStore::rule);
    }

    /** Removes a rule from evaluation and from the list; its alerts stay in the history. */
    public boolean delete(long id) throws SQLException {
        return Jdbc.update(dataSource, "update alert_rule set deleted = true, enabled = false, updated_at = now() "
                + "where id = ? and not deleted", ps -> ps.setLong(1, id)) == 1;
    }

    private static void bindRule(PreparedStatement ps, AlertRule r) throws SQLException {
        ps.setString(1, r.name());
        ps.setString(2, r.type().id());
        ps.setString(3, r.accountId());
        ps.setString(4, r.query());
        ps.setString(5, r.hashtag());
        ps.setDouble(6, r.threshold());
        ps.setInt(7, r.windowMinutes());
        ps.setInt(8, r.minCount());
        ps.setInt(9, r.cooldownMinutes());
        ps.setString(10, r.webhookUrl());
        ps.setString(11, r.webhookFormat());
        ps.setString(12, r.webhookSecret());
        ps.setArray(13, ps.getConnection().createArrayOf("text", r.emails().toArray()));
        ps.setBoolean(14, r.enabled());
    }

    private static AlertRule rule(ResultSet rs) throws SQLException {
        return new AlertRule(rs.getLong("id"), rs.getString("name"), RuleType.of(rs.getString("type")).orElseThrow(),
                rs.getString("account_id"), rs.getString("query"), rs.getString("hashtag"),
                rs.getDouble("threshold"), rs.getInt("window_minutes"), rs.getInt("min_count"),
                rs.getInt("cooldown_minutes"), rs.getString("webhook_url"), rs.getString("webhook_format"),
                rs.getString("webhook_secret"), Arrays.asList((String[]) rs.getArray("emails").getArray()),
                rs.getBoolean("enabled"), rs.getString("created_by"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "evaluated_at"));
    }

    // Evaluation

    /** What one evaluation of a rule wrote. */
    public record Applied(List<Long> fired, List<Condition> firedConditions, List<Long> resolved, int waiting) {
    }

    /**
     * Applies what the rule finds holding now, in one transaction under the rule's lock (two replicas evaluating the
     * same rule take turns): the open alerts are read there, the {@link Lifecycle} decides, and the alerts and their
     * deliveries are written. A condition written without its description is described with {@code describe}.
     */
    public Applied apply(AlertRule rule, List<Condition> holding,
            java.util.function.Function<String, Condition> describe, boolean complete, Instant now)
            throws SQLException {
        List<Long> fired = new ArrayList<>();
        List<Condition> firedConditions = new ArrayList<>();
        List<Long> resolved = new ArrayList<>();
        int[] waiting = new int[1];
        Jdbc.transaction(dataSource, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("select pg_advisory_xact_lock(" + EVALUATION_LOCKS + ", " + (int) rule.id() + ")");
            }
            Optional<Instant> evaluated = evaluatedAt(c, rule.id());
            if (evaluated.isEmpty()) {
                return; // deleted meanwhile
            }
            List<Lifecycle.Open> open = open(c, rule.id());
            Map<String, Instant> last = lastAnnounced(c, rule.id(), holding.stream().map(Condition::key).toList());
            Lifecycle.Decisions d = Lifecycle.decide(holding, complete, open, last, rule.type(), rule.cooldown(),
                    evaluated.get().equals(Instant.EPOCH), now);
            for (Condition undescribed : d.fire()) {
                Condition condition = undescribed.isDescribed() ? undescribed : describe.apply(undescribed.key());
                long id = insertAlert(c, rule.id(), condition, true, now);
                deliveries(c, rule, id, "fired", now);
                fired.add(id);
                firedConditions.add(condition);
            }
            for (Condition condition : d.record()) {
                insertAlert(c, rule.id(), condition.isDescribed() ? condition : describe.apply(condition.key()),
                        false, now);
            }
            for (Lifecycle.Open o : d.resolve()) {
                try (PreparedStatement ps = c.prepareStatement("update alert set state = 'resolved', "
                        + "resolved_at = ? where id = ?")) {
                    ps.setObject(1, Jdbc.at(now));
                    ps.setLong(2, o.id());
                    ps.executeUpdate();
                }
                if (o.announced()) {
                    deliveries(c, rule, o.id(), "resolved", now);
                    resolved.add(o.id());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update alert_rule set evaluated_at = ? where id = ?")) {
                ps.setObject(1, Jdbc.at(now));
                ps.setLong(2, rule.id());
                ps.executeUpdate();
            }
            waiting[0] = d.waiting().size();
        });
        return new Applied(fired, firedConditions, resolved, waiting[0]);
    }

    /** The keys of every rule's open alerts, by rule: what an evaluation compares with what holds now. */
    public Map<Long, java.util.Set<String>> openKeys() throws SQLException {
        Map<Long, java.util.Set<String>> open = new HashMap<>();
        Jdbc.query(dataSource, "select rule_id, key from alert where state <> 'resolved'", Jdbc.Binder.NONE,
                rs -> open.computeIfAbsent(rs.getLong(1), k -> new java.util.HashSet<>()).add(rs.getString(2)));
        return open;
    }

    /** Notes that these rules were evaluated at {@code now} and changed nothing. */
    public void evaluated(List<Long> ruleIds, Instant now) throws SQLException {
        if (ruleIds.isEmpty()) {
            return;
        }
        Jdbc.update(dataSource, "update alert_rule set evaluated_at = ? where id = any(?)", ps -> {
            ps.setObject(1, Jdbc.at(now));
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", ruleIds.toArray()));
        });
    }

    /** When the rule was last evaluated ({@link Instant#EPOCH} for never); empty when it is gone. */
    private static Optional<Instant> evaluatedAt(Connection c, long ruleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select evaluated_at from alert_rule where id = ? and enabled "
                + "and not deleted")) {
            ps.setLong(1, ruleId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant at = Jdbc.instant(rs, "evaluated_at");
                return Optional.of(at == null ? Instant.EPOCH : at);
            }
        }
    }

    private static List<Lifecycle.Open> open(Connection c, long ruleId) throws SQLException {
        List<Lifecycle.Open> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, key, announced from alert where rule_id = ? and "
                + "state <> 'resolved'")) {
            ps.setLong(1, ruleId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.add(new Lifecycle.Open(rs.getLong(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return open;
    }

    private static Map<String, Instant> lastAnnounced(Connection c, long ruleId, Collection<String> keys)
            throws SQLException {
        Map<String, Instant> last = new HashMap<>();
        if (keys.isEmpty()) {
            return last;
        }
        try (PreparedStatement ps = c.prepareStatement("select key, max(fired_at) as at from alert where "
                + "rule_id = ? and key = any(?) and announced group by key")) {
            ps.setLong(1, ruleId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last.put(rs.getString(1), Jdbc.instant(rs, "at"));
                }
            }
        }
        return last;
    }

    private long insertAlert(Connection c, long ruleId, Condition condition, boolean announced, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into alert (rule_id, key, state, announced, summary, "
                + "details, fired_at, evidence_at) values (?, ?, 'fired', ?, ?, ?::jsonb, ?, ?) returning id")) {
            ps.setLong(1, ruleId);
            ps.setString(2, condition.key());
            ps.setBoolean(3, announced);
            ps.setString(4, condition.summary());
            ps.setString(5, json(condition.details()));
            ps.setObject(6, Jdbc.at(now));
            ps.setObject(7, Jdbc.at(condition.evidenceAt()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void deliveries(Connection c, AlertRule rule, long alertId, String event, Instant now)
            throws SQLException {
        Jdbc.batch(c, "insert into alert_delivery (alert_id, event, channel, target, status, next_attempt_at, "
                + "created_at) values (?, ?, ?, ?, 'pending', ?, ?)", rule.channels(), (ps, channel) -> {
                    ps.setLong(1, alertId);
                    ps.setString(2, event);
                    ps.setString(3, channel.channel());
                    ps.setString(4, channel.target());
                    ps.setObject(5, Jdbc.at(now));
                    ps.setObject(6, Jdbc.at(now));
                });
    }

    private String json(Map<String, Object> details) {
        try {
            return mapper.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Alert details that cannot be written as JSON", e);
        }
    }

    // History

    /** Alerts, newest first, announced ones only; {@code before} is the id to continue after. */
    public List<Alert> alerts(Long ruleId, String state, Long before, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("select " + ALERT_COLUMNS + " from alert a join alert_rule r on "
                + "r.id = a.rule_id where a.announced");
        List<Object> params = new ArrayList<>();
        if (ruleId != null) {
            sql.append(" and a.rule_id = ?");
            params.add(ruleId);
        }
        if (state != null) {
            sql.append(" and a.state = ?");
            params.add(state);
        }
        if (before != null) {
            sql.append(" and a.id < ?");
            params.add(before);
        }
        sql.append(" order by a.id desc limit ?");
        params.add((long) limit);
        return Jdbc.query(dataSource, sql.toString(), ps -> bind(ps, params), this::alert);
    }

    public Optional<Alert> alert(long id) throws SQLException {
        return Jdbc.one(dataSource, "select " + ALERT_COLUMNS + " from alert a join alert_rule r on r.id = a.rule_id "
                + "where a.id = ? and a.announced", ps -> ps.setLong(1, id), this::alert);
    }

    private Alert alert(ResultSet rs) throws SQLException {
        return alert(rs, 0);
    }

    /** The alert whose {@link #ALERT_COLUMNS} start after the row's first {@code offset} columns. */
    private Alert alert(ResultSet rs, int offset) throws SQLException {
        Map<String, Object> details;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = mapper.readValue(rs.getString(offset + 8), Map.class);
            details = read;
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable alert details", e);
        }
        return new Alert(rs.getLong(offset + 1), rs.getLong(offset + 2), rs.getString(offset + 3),
                rs.getString(offset + 4), rs.getString(offset + 5), rs.getString(offset + 6),
                rs.getString(offset + 7), details, Jdbc.instant(rs, "fired_at"), Jdbc.instant(rs, "resolved_at"),
                Jdbc.instant(rs, "evidence_at"));
    }

    /** Deliveries, newest first, of one alert or with one status. */
    public List<Delivery> deliveries(Long alertId, String status, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("select id, alert_id, event, channel, target, status, attempts, "
                + "next_attempt_at, last_error, created_at, delivered_at from alert_delivery where true");
        List<Object> params = new ArrayList<>();
        if (alertId != null) {
            sql.append(" and alert_id = ?");
            params.add(alertId);
        }
        if (status != null) {
            sql.append(" and status = ?");
            params.add(status);
        }
        sql.append(" order by id desc limit ?");
        params.add((long) limit);
        return Jdbc.query(dataSource, sql.toString(), ps -> bind(ps, params), AlertStore::delivery);
    }

    /** Sends a failed delivery again, now; false when there is no failed delivery with this id. */
    public boolean retry(long deliveryId) throws SQLException {
        return Jdbc.update(dataSource, "update alert_delivery set status = 'pending', next_attempt_at = now() "
                + "where id = ? and status = 'failed'", ps -> ps.setLong(1, deliveryId)) == 1;
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong("id"), rs.getLong("alert_id"), rs.getString("event"), rs.getString("channel"),
                rs.getString("target"), rs.getString("status"), rs.getInt("attempts"),
                Jdbc.instant(rs, "next_attempt_at"), rs.getString("last_error"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "delivered_at"));
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Long n) {
                ps.setLong(i + 1, n);
            } else if (p == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                ps.setString(i + 1, p.toString());
            }
        }
    }

    // Sending

    /** A delivery due now, with what sending it needs. */
    public record Due(long id, String event, String channel, String target, int attempts, Alert alert,
            String webhookFormat, String webhookSecret) {
    }

    /** What sending a delivery came to. */
    public record Sent(long id, boolean delivered, boolean retry, String error) {
    }

    /** Work on the deliveries claimed by one transaction: sends them and says how each went. */
    @FunctionalInterface
    public interface Sender {
        List<Sent> send(List<Due> due);
    }

    /**
     * Claims up to {@code limit} due deliveries (rows locked, skipped by other replicas), sends them with the sender
     * and records the result, in one transaction; returns how many were due. A process that dies while sending
     * leaves them pending, to be sent again: receivers deduplicate by the delivery id.
     */
    public int sendDue(int limit, int maxAttempts, Duration firstBackoff, Duration maxBackoff, Sender sender)
            throws SQLException {
        int[] count = new int[1];
        Jdbc.transaction(dataSource, c -> {
            List<Due> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select d.id, d.event, d.channel, d.target, d.attempts, "
                    + "r.webhook_format, r.webhook_secret, " + ALERT_COLUMNS + " from alert_delivery d join alert a "
                    + "on a.id = d.alert_id join alert_rule r on r.id = a.rule_id where d.status = 'pending' and "
                    + "d.next_attempt_at <= now() order by d.next_attempt_at, d.id limit ? for update of d skip "
                    + "locked")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Alert alert = alert(rs, 7);
                        due.add(new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), alert, rs.getString(6), rs.getString(7)));
                    }
                }
            }
            count[0] = due.size();
            if (due.isEmpty()) {
                return;
            }
            Map<Long, Due> byId = new HashMap<>();
            due.forEach(d -> byId.put(d.id(), d));
            Jdbc.batch(c, "update alert_delivery set attempts = attempts + 1, status = ?, delivered_at = ?, "
                    + "last_error = ?, next_attempt_at = ? where id = ?", sender.send(due), (ps, sent) -> {
                        int attempts = byId.get(sent.id()).attempts() + 1;
                        String status = sent.delivered() ? "delivered"
                                : sent.retry() && attempts < maxAttempts ? "pending" : "failed";
                        Instant now = Instant.now();
                        ps.setString(1, status);
                        ps.setObject(2, sent.delivered() ? Jdbc.at(now) : null);
                        ps.setString(3, sent.error());
                        ps.setObject(4, Jdbc.at(now.plus(Backoff.after(attempts, firstBackoff, maxBackoff))));
                        ps.setLong(5, sent.id());
                    });
        });
        return count[0];
    }
}
