package io.palabre.dashboard.report;

import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.dialogue.DialogueCalculator;
import io.palabre.dashboard.dialogue.DialogueMetrics;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.dashboard.service.DialogueQueries;

/**
 * The weekly dialogue report of an organisation account: an ISO week (Monday 00:00 UTC to the next Monday) against
 * the one before, from the read model, with the dialogue metrics' own definitions (docs/dialogue-metrics.md).
 */
@ApplicationScoped
public class WeeklyReports {

    /** How many rows each list of a report holds. */
    public static final int TOP = 10;

    private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

    private final AgroalDataSource dataSource;
    private final DialogueQueries dialogue;

    public WeeklyReports(AgroalDataSource dataSource, DialogueQueries dialogue) {
        this.dataSource = dataSource;
        this.dialogue = dialogue;
    }

    /** A week that cannot be reported. */
    public static final class BadWeekException extends RuntimeException {

        BadWeekException(String message) {
            super(message, null, false, false);
        }
    }

    /** The week {@code text} names ({@code 2026-W47}), or the last complete week before {@code now}. */
    public static LocalDate weekStart(String text, Instant now) {
        LocalDate thisMonday = now.atOffset(ZoneOffset.UTC).toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        if (text == null || text.isBlank()) {
            return thisMonday.minusWeeks(1);
        }
        Matcher m = WEEK.matcher(text.strip());
        if (!m.matches()) {
            throw new BadWeekException("week must be an ISO week such as 2026-W47, not " + text);
        }
        LocalDate start;
        try {
            LocalDate anyDay = LocalDate.of(Integer.parseInt(m.group(1)), 6, 1);
            int week = Integer.parseInt(m.group(2));
            if (week < 1 || week > anyDay.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
                throw new BadWeekException("week " + text + " does not exist");
            }
            start = anyDay.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY);
        } catch (java.time.DateTimeException e) {
            throw new BadWeekException("week " + text + " does not exist");
        }
        if (start.isAfter(thisMonday)) {
            throw new BadWeekException("week " + text + " has not started");
        }
        return start;
    }

    /** The ISO name of the week starting on this Monday. */
    public static String weekName(LocalDate monday) {
        return String.format("%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
                monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    public WeeklyReport report(String account, Set<String> organisation, LocalDate monday, Instant now)
            throws SQLException {
        Instant from = monday.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(7));
        Instant before = from.minus(Duration.ofDays(7));
        DialogueQueries.Detailed week = dialogue.detailed(account, organisation, weekName(monday), from, to);
        DialogueMetrics previous = dialogue.window(account, organisation, weekName(monday.minusWeeks(1)), before,
                from, 0);
        List<String> queries = Jdbc.query(dataSource, "select distinct query_name from organisation_account where "
                + "account_id = ? order by 1", ps -> ps.setString(1, account), rs -> rs.getString(1));
        Instant until = now.isBefore(to) ? now : to;
        List<WeeklyReport.LongWait> waits = new ArrayList<>();
        week.details().waits().stream()
                .sorted(Comparator.comparingLong((DialogueCalculator.Wait w) -> w.seconds(until)).reversed()
                        .thenComparing(w -> w.mention().id()))
                .limit(TOP).forEach(w -> waits.add(new WeeklyReport.LongWait(w.mention().id(),
                        w.mention().conversationId(), w.mention().authorId(), w.mention().createdAt(), w.answeredAt(),
                        w.seconds(until), w.mention().url(), w.mention().text())));
        List<WeeklyReport.Dialogue> dialogues = week.details().exchanges().stream().filter(e -> e.turns() >= 3)
                .sorted(Comparator.comparingInt(DialogueCalculator.Exchange::turns).reversed()
                        .thenComparing(DialogueCalculator.Exchange::firstAt))
                .map(e -> new WeeklyReport.Dialogue(e.conversationId(), e.personId(), e.turns(), e.firstAt(),
                        e.lastAt()))
                .toList();
        return new WeeklyReport(account, weekName(monday), from, to, now, queries,
                side(week.metrics(), volume(account, from, to)),
                side(previous, volume(account, before, from)), waits, dialogues, drawing(account, from, to),
                hashtags(account, from, to));
    }

    private static WeeklyReport.Side side(DialogueMetrics m, long mentions) {
        return new WeeklyReport.Side(mentions, m.peopleMentions(), m.answered(), m.responseRate(),
                m.medianFirstResponseSeconds(), m.p90FirstResponseSeconds(), m.unansweredCount(), m.dialogues());
    }

    /** The mentions around the account in [from, to): people's posts that interact with it, and its own. */
    private static final String AROUND = "from mention m where not m.deleted and m.created_at >= ? and "
            + "m.created_at < ? and (m.author_id = ? or m.id in (select mention_id from mention_relationship where "
            + "target_id = ? and created_at >= ? and created_at < ?))";

    private static void bindAround(java.sql.PreparedStatement ps, String account, Instant from, Instant to)
            throws SQLException {
        ps.setObject(1, Jdbc.at(from));
        ps.setObject(2, Jdbc.at(to));
        ps.setString(3, account);
        ps.setString(4, account);
        ps.setObject(5, Jdbc.at(from));
        ps.setObject(6, Jdbc.at(to));
    }

    private long volume(String account, Instant from, Instant to) throws SQLException {
        return Jdbc.one(dataSource, "select count(*) " + AROUND, ps -> bindAround(ps, account, from, to),
                rs -> rs.getLong(1)).orElse(0L);
    }

    private List<WeeklyReport.Tag> hashtags(String account, Instant from, Instant to) throws SQLException {
        return Jdbc.query(dataSource, "select h, count(*) as n from (select unnest(m.hashtags) as h " + AROUND
                + ") t group by h order by n desc, h limit " + TOP, ps -> bindAround(ps, account, from, to),
                rs -> new WeeklyReport.Tag(rs.getString(1), rs.getLong(2)));
    }

    /**
     * The accounts that drew the most replies in the week in the account's conversations (where it posted or was
     * addressed that week), the account itself left out.
     */
    private List<WeeklyReport.Drawn> drawing(String account, Instant from, Instant to) throws SQLException {
        return Jdbc.query(dataSource, "with sphere as (select conversation_id from mention where author_id = ? and "
                + "created_at >= ? and created_at < ? and not deleted union select m.conversation_id from "
                + "mention_relationship r join mention m on m.id = r.mention_id where r.target_id = ? and "
                + "r.created_at >= ? and r.created_at < ? and not m.deleted) select r.target_id, a.handle, "
                + "count(*) as replies, count(distinct m.conversation_id) as conversations from mention m join "
                + "mention_relationship r on r.mention_id = m.id and r.type = 'reply' left join account a on "
                + "a.id = r.target_id where m.conversation_id in (select conversation_id from sphere) and "
                + "m.created_at >= ? and m.created_at < ? and not m.deleted and r.target_id <> ? group by "
                + "r.target_id, a.handle order by replies desc, r.target_id limit ?", ps -> {
                    int i = 1;
                    for (int side = 0; side < 2; side++) {
                        ps.setString(i++, account);
                        ps.setObject(i++, Jdbc.at(from));
                        ps.setObject(i++, Jdbc.at(to));
                    }
                    ps.setObject(i++, Jdbc.at(from));
                    ps.setObject(i++, Jdbc.at(to));
                    ps.setString(i++, account);
                    ps.setInt(i, TOP);
                }, rs -> new WeeklyReport.Drawn(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    }
}
