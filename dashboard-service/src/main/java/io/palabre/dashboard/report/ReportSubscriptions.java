package io.palabre.dashboard.report;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.dashboard.service.Backoff;

/**
 * Who receives which account's weekly report by e-mail, and the sending of each week: a row per subscription and
 * week, claimed by one replica at a time, retried with backoff, so that a week is sent once.
 */
@ApplicationScoped
public class ReportSubscriptions {

    private final AgroalDataSource dataSource;

    public ReportSubscriptions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Subscription(long id, String accountId, List<String> emails, String lang, String createdBy,
            Instant createdAt) {
    }

    /** One week's sending of one subscription. */
    public record Sending(long subscriptionId, String week, String status, int attempts, Instant nextAttemptAt,
            String lastError, Instant sentAt) {
    }

    public List<Subscription> list() throws SQLException {
        return Jdbc.query(dataSource, "select id, account_id, emails, lang, created_by, created_at from "
                + "report_subscription where not deleted order by id", Jdbc.Binder.NONE, ReportSubscriptions::read);
    }

    public Optional<Subscription> get(long id) throws SQLException {
        return Jdbc.one(dataSource, "select id, account_id, emails, lang, created_by, created_at from "
                + "report_subscription where id = ? and not deleted", ps -> ps.setLong(1, id),
                ReportSubscriptions::read);
    }

    public Subscription insert(String account, List<String> emails, String lang, String who, Instant now)
            throws SQLException {
        return Jdbc.one(dataSource, "insert into report_subscription (account_id, emails, lang, created_by, "
                + "created_at) values (?, ?, ?, ?, ?) returning id, account_id, emails, lang, created_by, created_at",
                ps -> {
                    ps.setString(1, account);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", emails.toArray()));
                    ps.setString(3, lang);
                    ps.setString(4, who);
                    ps.setObject(5, Jdbc.at(now));
                }, ReportSubscriptions::read).orElseThrow();
    }

    public boolean delete(long id) throws SQLException {
        return Jdbc.update(dataSource, "update report_subscription set deleted = true where id = ? and not deleted",
                ps -> ps.setLong(1, id)) == 1;
    }

    public List<Sending> sendings(long subscriptionId) throws SQLException {
        return Jdbc.query(dataSource, "select subscription_id, week, status, attempts, next_attempt_at, last_error, "
                + "sent_at from report_sending where subscription_id = ? order by week desc",
                ps -> ps.setLong(1, subscriptionId), rs -> new Sending(rs.getLong(1), rs.getString(2),
                        rs.getString(3), rs.getInt(4), Jdbc.instant(rs, "next_attempt_at"), rs.getString(6),
                        Jdbc.instant(rs, "sent_at")));
    }

    /**
     * The week each subscription is due to receive now: the last complete week, when it ended after the subscription
     * was made (a subscription made on a Wednesday receives its first report the next Monday).
     */
    static Optional<LocalDate> dueWeek(Instant createdAt, Instant now) {
        LocalDate monday = WeeklyReports.weekStart(null, now);
        Instant end = monday.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return end.isAfter(createdAt) ? Optional.of(monday) : Optional.empty();
    }

    /** Records the sending each subscription is due now, once per week. */
    public void schedule(Instant now) throws SQLException {
        for (Subscription s : list()) {
            Optional<LocalDate> week = dueWeek(s.createdAt(), now);
            if (week.isPresent()) {
                request(s.id(), WeeklyReports.weekName(week.get()), now);
            }
        }
    }

    /** Asks for this week's report to be sent, now; false when it was already asked for. */
    public boolean request(long subscriptionId, String week, Instant now) throws SQLException {
        return Jdbc.update(dataSource, "insert into report_sending (subscription_id, week, status, next_attempt_at) "
                + "values (?, ?, 'pending', ?) on conflict do nothing", ps -> {
                    ps.setLong(1, subscriptionId);
                    ps.setString(2, week);
                    ps.setObject(3, Jdbc.at(now));
                }) == 1;
    }

    /** Sends a week's report again: its sending becomes due now, whatever it came to. */
    public void resend(long subscriptionId, String week, Instant now) throws SQLException {
        Jdbc.update(dataSource, "insert into report_sending (subscription_id, week, status, next_attempt_at) values "
                + "(?, ?, 'pending', ?) on conflict (subscription_id, week) do update set status = 'pending', "
                + "next_attempt_at = excluded.next_attempt_at, attempts = 0, last_error = null", ps -> {
                    ps.setLong(1, subscriptionId);
                    ps.setString(2, week);
                    ps.setObject(3, Jdbc.at(now));
                });
    }

    /** What sending one week came to. */
    public record Outcome(boolean sent, String error) {
    }

    /** Sends one due week's report. */
    @FunctionalInterface
    public interface Sender {
        Outcome send(Subscription subscription, String week);
    }

    /**
     * Claims one due sending (locked; other replicas skip it), sends it and records the result, in one transaction;
     * false when none was due.
     */
    public boolean sendOne(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Sender sender)
            throws SQLException {
        boolean[] found = new boolean[1];
        Jdbc.transaction(dataSource, c -> {
            Subscription subscription;
            String week;
            int attempts;
            try (PreparedStatement ps = c.prepareStatement("select s.id, s.account_id, s.emails, s.lang, "
                    + "s.created_by, s.created_at, r.week, r.attempts from report_sending r join report_subscription "
                    + "s on s.id = r.subscription_id where r.status = 'pending' and r.next_attempt_at <= now() and "
                    + "not s.deleted order by r.next_attempt_at limit 1 for update of r skip locked");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                subscription = read(rs);
                week = rs.getString(7);
                attempts = rs.getInt(8) + 1;
            }
            found[0] = true;
            Outcome outcome = sender.send(subscription, week);
            Instant now = Instant.now();
            try (PreparedStatement ps = c.prepareStatement("update report_sending set attempts = ?, status = ?, "
                    + "last_error = ?, sent_at = ?, next_attempt_at = ? where subscription_id = ? and week = ?")) {
                ps.setInt(1, attempts);
                ps.setString(2, outcome.sent() ? "sent" : attempts < maxAttempts ? "pending" : "failed");
                ps.setString(3, outcome.error());
                ps.setObject(4, outcome.sent() ? Jdbc.at(now) : null);
                ps.setObject(5, Jdbc.at(now.plus(Backoff.after(attempts, firstBackoff, maxBackoff))));
                ps.setLong(6, subscription.id());
                ps.setString(7, week);
                ps.executeUpdate();
            }
        });
        return found[0];
    }

    private static Subscription read(ResultSet rs) throws SQLException {
        return new Subscription(rs.getLong(1), rs.getString(2), new ArrayList<>(Arrays.asList((String[]) rs.getArray(3)
                .getArray())), rs.getString(4), rs.getString(5), Jdbc.instant(rs, "created_at"));
    }
}
