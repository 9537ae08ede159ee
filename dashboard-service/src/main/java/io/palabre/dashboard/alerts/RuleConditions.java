package io.palabre.dashboard.alerts;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.dialogue.DialogueCalculator;
import io.palabre.dashboard.dialogue.Interaction;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.dashboard.service.DialogueQueries;
import io.palabre.dashboard.service.OrganisationAccounts;

/**
 * What each rule finds holding now, read from the read model: the dialogue metrics for unanswered mentions and the
 * response rate, the hourly counts for volume, the mentions for conversation growth, and the graph metrics for
 * PageRank.
 */
@ApplicationScoped
public class RuleConditions {

    /** At most this many conditions per evaluation of one rule; beyond it nothing is resolved (the list is partial). */
    static final int MAX_CONDITIONS = 1000;

    /** The days whose same hour makes a volume baseline. */
    static final int BASELINE_DAYS = 7;

    private final AgroalDataSource dataSource;
    private final DialogueQueries dialogue;
    private final OrganisationAccounts organisations;

    public RuleConditions(AgroalDataSource dataSource, DialogueQueries dialogue, OrganisationAccounts organisations) {
        this.dataSource = dataSource;
        this.dialogue = dialogue;
        this.organisations = organisations;
    }

    /** What holds, and whether that is all of it. */
    public record Found(List<String> keys, java.util.function.Function<String, Condition> describe,
            boolean complete) {

        Found(List<Condition> holding, boolean complete) {
            this(holding.stream().map(Condition::key).toList(), byKey(holding), complete);
        }

        private static java.util.function.Function<String, Condition> byKey(List<Condition> holding) {
            Map<String, Condition> map = new java.util.HashMap<>();
            holding.forEach(c -> map.putIfAbsent(c.key(), c));
            return map::get;
        }
    }

    /**
     * What one evaluation of all the rules reads once: the organisation accounts, and for each account the posts
     * around it over the longest window its dialogue rules ask for.
     */
    public final class Pass {
        private final Instant now;
        private final Map<String, Instant> earliest = new java.util.HashMap<>();
        private final Map<String, DialogueQueries.Prepared> prepared = new java.util.HashMap<>();
        private final Map<String, List<DialogueCalculator.Wait>> waits = new java.util.HashMap<>();
        private final Map<String, List<DialogueCalculator.Wait>> unanswered = new java.util.HashMap<>();
        private final Map<String, Long> leastGrowth = new java.util.HashMap<>();
        private final Map<String, Instant> earliestGrowth = new java.util.HashMap<>();
        private final Map<String, Growing> growing = new java.util.HashMap<>();
        private Set<String> organisation;

        Pass(List<AlertRule> rules, Instant now) {
            this.now = now;
            for (AlertRule r : rules) {
                if (r.type() == RuleType.UNANSWERED || r.type() == RuleType.RESPONSE_RATE) {
                    earliest.merge(r.accountId(), now.minus(r.window()), (a, b) -> a.isBefore(b) ? a : b);
                } else if (r.type() == RuleType.CONVERSATION_GROWTH) {
                    leastGrowth.merge(r.accountId(), (long) r.threshold(), Math::min);
                    earliestGrowth.merge(r.accountId(), now.minus(r.window()), (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }

        /** The growing conversations of the account that any of its growth rules may want, read once. */
        Growing growing(AlertRule rule) throws SQLException {
            Growing g = growing.get(rule.accountId());
            if (g == null) {
                g = readGrowing(rule.accountId(), earliestGrowth.getOrDefault(rule.accountId(),
                        now.minus(rule.window())), leastGrowth.getOrDefault(rule.accountId(), (long) rule.threshold()),
                        now);
                growing.put(rule.accountId(), g);
            }
            return g;
        }

        Set<String> organisation() throws SQLException {
            if (organisation == null) {
                organisation = new java.util.TreeSet<>(organisations.ids());
            }
            return organisation;
        }

        /**
         * Whether and when the account answered each of people's mentions since the earliest start its rules ask
         * for, oldest first: computed once, each unanswered or response-rate rule reading its own window of it.
         */
        List<DialogueCalculator.Wait> waits(String account, Instant from) throws SQLException {
            List<DialogueCalculator.Wait> w = waits.get(account);
            if (w == null) {
                Instant start = earliest.getOrDefault(account, from);
                w = dialogue(account, from).waits(account, start.isBefore(from) ? start : from, now);
                waits.put(account, w);
            }
            return w;
        }

        /** The mentions of {@link #waits} not answered, oldest first. */
        List<DialogueCalculator.Wait> unanswered(String account, Instant from) throws SQLException {
            List<DialogueCalculator.Wait> u = unanswered.get(account);
            if (u == null) {
                u = waits(account, from).stream().filter(w -> w.answeredAt() == null).toList();
                unanswered.put(account, u);
            }
            return u;
        }

        DialogueQueries.Prepared dialogue(String account, Instant from) throws SQLException {
            DialogueQueries.Prepared p = prepared.get(account);
            if (p == null) {
                Instant start = earliest.getOrDefault(account, from);
                p = dialogue.prepare(account, organisation(), start.isBefore(from) ? start : from, now);
                prepared.put(account, p);
            }
            return p;
        }
    }

    /** A pass over these rules at {@code now}. */
    public Pass pass(List<AlertRule> rules, Instant now) {
        return new Pass(rules, now);
    }

    public Found find(AlertRule rule, Pass pass) throws SQLException {
        Instant now = pass.now;
        if (rule.type().needsAccount()) {
            Set<String> organisation = pass.organisation();
            if (!organisation.contains(rule.accountId())) {
                return new Found(List.of(), true); // no longer an organisation account: nothing to watch
            }
            return switch (rule.type()) {
                case UNANSWERED -> unanswered(rule, pass, now);
                case RESPONSE_RATE -> responseRate(rule, pass, now);
                case CONVERSATION_GROWTH -> growth(rule, pass, now);
                case PAGERANK_TOP -> pagerank(rule, organisation);
                default -> throw new IllegalStateException(rule.type().id());
            };
        }
        return volume(rule, now);
    }

    /**
     * The people's mentions of the rule's window still unanswered past its wait, oldest first: their ids at once,
     * each described only when asked (a rule whose mentions are all open alerts already never asks).
     */
    private Found unanswered(AlertRule rule, Pass pass, Instant now) throws SQLException {
        Duration wait = Duration.ofMinutes((long) rule.threshold());
        Instant to = now.minus(wait);
        Instant from = now.minus(rule.window());
        if (!from.isBefore(to)) {
            return new Found(List.of(), true);
        }
        List<String> keys = new ArrayList<>();
        Map<String, Interaction> mentions = new java.util.HashMap<>();
        boolean complete = true;
        for (DialogueCalculator.Wait w : pass.unanswered(rule.accountId(), from)) {
            Interaction u = w.mention();
            if (u.createdAt().isBefore(from)) {
                continue;
            }
            if (!u.createdAt().isBefore(to)) {
                break; // oldest first
            }
            if (keys.size() == MAX_CONDITIONS) {
                complete = false;
                break;
            }
            keys.add(u.id());
            mentions.put(u.id(), u);
        }
        return new Found(keys, id -> {
            Interaction u = mentions.get(id);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("accountId", rule.accountId());
            details.put("mentionId", u.id());
            details.put("conversationId", u.conversationId());
            details.put("authorId", u.authorId());
            details.put("createdAt", u.createdAt().toString());
            details.put("url", u.url());
            details.put("text", cut(u.text(), 280));
            long minutes = Duration.between(u.createdAt(), now).toMinutes();
            details.put("waitingMinutes", minutes);
            return new Condition(u.id(), u.authorId() + " has waited " + minutes + " min for an answer from "
                    + rule.accountId(), details, u.createdAt());
        }, complete);
    }

    private Found responseRate(AlertRule rule, Pass pass, Instant now) throws SQLException {
        Instant from = now.minus(rule.window());
        int mentions = 0;
        int answered = 0;
        for (DialogueCalculator.Wait w : pass.waits(rule.accountId(), from)) {
            if (!w.mention().createdAt().isBefore(from)) {
                mentions++;
                answered += w.answeredAt() == null ? 0 : 1;
            }
        }
        double rate = mentions == 0 ? 1 : (double) answered / mentions;
        if (mentions == 0 || mentions < rule.minCount() || rate >= rule.threshold()) {
            return new Found(List.of(), true);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("accountId", rule.accountId());
        details.put("responseRate", rate);
        details.put("peopleMentions", mentions);
        details.put("answered", answered);
        details.put("windowMinutes", rule.windowMinutes());
        String summary = String.format(java.util.Locale.ROOT, "%s answered %d of %d people's mentions (%.0f %%) in "
                + "the last %d min, below %.0f %%", rule.accountId(), answered, mentions, rate * 100,
                rule.windowMinutes(), rule.threshold() * 100);
        return new Found(List.of(new Condition("response-rate", summary, details, null)), true);
    }

    private Found volume(AlertRule rule, Instant now) throws SQLException {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        List<String> hours = new ArrayList<>();
        for (int d = 0; d <= BASELINE_DAYS; d++) {
            hours.add(hour.minus(Duration.ofDays(d)).toString());
        }
        StringBuilder sql = new StringBuilder();
        List<String> params = new ArrayList<>();
        if (rule.hashtag() != null) {
            sql.append("select hour, sum(mentions) as n from tag_hourly where kind = 'hashtags' and value = ? and ");
            params.add(rule.hashtag());
        } else {
            sql.append("select hour, sum(mentions) as n from activity_hourly where ");
        }
        sql.append("hour = any(?::text[]::timestamptz[])");
        if (rule.query() != null) {
            sql.append(" and query = ?");
        }
        sql.append(" group by hour");
        Map<Instant, Long> counts = new LinkedHashMap<>();
        Jdbc.query(dataSource, sql.toString(), ps -> {
            int i = 1;
            for (String p : params) {
                ps.setString(i++, p);
            }
            ps.setArray(i++, ps.getConnection().createArrayOf("text", hours.toArray()));
            if (rule.query() != null) {
                ps.setString(i, rule.query());
            }
        }, rs -> counts.put(Jdbc.instant(rs, "hour"), rs.getLong("n")));
        long current = counts.getOrDefault(hour, 0L);
        List<Long> baseline = new ArrayList<>();
        for (int d = 1; d <= BASELINE_DAYS; d++) {
            baseline.add(counts.getOrDefault(hour.minus(Duration.ofDays(d)), 0L));
        }
        VolumeBaseline b = VolumeBaseline.of(baseline, rule.threshold());
        if (current <= b.limit() || current < rule.minCount()) {
            return new Found(List.of(), true);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("query", rule.query());
        details.put("hashtag", rule.hashtag());
        details.put("hour", hour.toString());
        details.put("mentions", current);
        details.put("median", b.median());
        details.put("mad", b.mad());
        details.put("limit", b.limit());
        details.put("baseline", baseline);
        String scope = (rule.hashtag() != null ? "#" + rule.hashtag() : "mentions")
                + (rule.query() != null ? " in " + rule.query() : "");
        String summary = String.format(java.util.Locale.ROOT, "%s: %d this hour, above %.1f (median %.1f + %.1f × "
                + "MAD %.1f of the same hour, last %d days)", scope, current, b.limit(), b.median(), rule.threshold(),
                b.mad(), BASELINE_DAYS);
        return new Found(List.of(new Condition("spike", summary, details, null)), true);
    }

    /** A conversation gaining replies: how many in the last hour, and the account's last post in it. */
    private record Grown(String conversationId, long replies, Instant latest, Instant lastOwn) {
    }

    /** The conversations found, and whether that is all of them. */
    private record Growing(List<Grown> conversations, boolean complete) {
    }

    /**
     * The conversations where the account posted since {@code since} that gained more than {@code least} replies in
     * the hour before {@code now}.
     */
    private Growing readGrowing(String account, Instant since, long least, Instant now) throws SQLException {
        List<Grown> found = Jdbc.query(dataSource, "with mine as (select conversation_id, max(created_at) as last_own "
                + "from mention where author_id = ? and created_at >= ? and not deleted group by conversation_id) "
                + "select m.conversation_id, mine.last_own, count(*) as n, max(m.created_at) as latest from mention m "
                + "join mine using (conversation_id) where m.created_at >= ? and m.reply_to_id is not null and "
                + "m.kind <> 'repost' and not m.deleted group by m.conversation_id, mine.last_own having count(*) > ? "
                + "order by n desc, m.conversation_id limit ?", ps -> {
                    ps.setString(1, account);
                    ps.setObject(2, Jdbc.at(since));
                    ps.setObject(3, Jdbc.at(now.minus(Duration.ofHours(1))));
                    ps.setLong(4, least);
                    ps.setInt(5, MAX_CONDITIONS + 1);
                }, rs -> new Grown(rs.getString("conversation_id"), rs.getLong("n"), Jdbc.instant(rs, "latest"),
                        Jdbc.instant(rs, "last_own")));
        boolean complete = found.size() <= MAX_CONDITIONS;
        return new Growing(complete ? found : found.subList(0, MAX_CONDITIONS), complete);
    }

    private Found growth(AlertRule rule, Pass pass, Instant now) throws SQLException {
        Growing growing = pass.growing(rule);
        Instant since = now.minus(rule.window());
        List<Condition> holding = new ArrayList<>();
        for (Grown g : growing.conversations()) {
            if (g.replies() <= (long) rule.threshold() || g.lastOwn().isBefore(since)) {
                continue;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("accountId", rule.accountId());
            details.put("conversationId", g.conversationId());
            details.put("repliesLastHour", g.replies());
            holding.add(new Condition(g.conversationId(), "A conversation " + rule.accountId() + " takes part in "
                    + "gained " + g.replies() + " replies in the last hour (" + g.conversationId() + ")", details,
                    g.latest()));
        }
        return new Found(holding, growing.complete());
    }

    private Found pagerank(AlertRule rule, Set<String> organisation) throws SQLException {
        List<Condition> holding = new ArrayList<>();
        int[] rank = new int[1];
        Jdbc.query(dataSource, "select a.id, a.handle, a.pagerank, a.metrics_at from account_partner p join account a "
                + "on a.id = p.partner_id where p.account_id = ? and a.pagerank is not null and not (a.id = any(?)) "
                + "order by a.pagerank desc, a.id limit ?", ps -> {
                    ps.setString(1, rule.accountId());
                    ps.setArray(2, ps.getConnection().createArrayOf("text", organisation.toArray()));
                    ps.setInt(3, (int) rule.threshold());
                }, rs -> {
                    rank[0]++;
                    Map<String, Object> details = new LinkedHashMap<>();
                    String id = rs.getString("id");
                    details.put("accountId", rule.accountId());
                    details.put("partnerId", id);
                    details.put("handle", rs.getString("handle"));
                    details.put("pagerank", rs.getDouble("pagerank"));
                    details.put("rank", rank[0]);
                    holding.add(new Condition(id, id + " entered the top " + (int) rule.threshold() + " by PageRank "
                            + "around " + rule.accountId() + " (rank " + rank[0] + ")", details,
                            Jdbc.instant(rs, "metrics_at")));
                    return null;
                });
        return new Found(holding, true);
    }

    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…";
    }
}
