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
                side(week.metrics(), volume(queries, from, to)),
                side(previous, volume(queries, before, from)), waits, dialogues, drawing(account, from, to),
                hashtags(queries, from, to));
    }

    private static WeeklyReport.Side side(DialogueMetrics m, long mentions) {
        return new WeeklyReport.Side(mentions, m.peopleMentions(), m.answered(), m.responseRate(),
                m.medianFirstResponseSeconds(), m.p90FirstResponseSeconds(), m.unansweredCount(), m.dialogues());
    }

    /** Mentions the listening queries naming the account captured in [from, to). */
    private long volume(List<String> queries, Instant from, Instant to) throws SQLException {
        if (queries.isEmpty()) {
            return 0;
        }
        return Jdbc.one(dataSource, "select coalesce(sum(mentions), 0) from activity_hourly where query = any(?) "
                + "and hour >= ? and hour < ?", ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", queries.toArray()));
                    ps.setObject(2, Jdbc.at(from));
                    ps.setObject(3, Jdbc.at(to));
                }, rs -> rs.getLong(1)).orElse(0L);
    }

    private List<WeeklyReport.Tag> hashtags(List<String> queries, Instant from, Instant to) throws SQLException {
        if (queries.isEmpty()) {
            return List.of();
        }
        return Jdbc.query(dataSource, "select value, sum(mentions) as n from tag_daily where kind = 'hashtags' and "
                + "query = any(?) and day >= ? and day < ? group by value order by n desc, value limit ?", ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", queries.toArray()));
                    ps.setObject(2, Jdbc.at(from));
                    ps.setObject(3, Jdbc.at(to));
                    ps.setInt(4, TOP);
                }, rs -> new WeeklyReport.Tag(rs.getString(1), rs.getLong(2)));
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
