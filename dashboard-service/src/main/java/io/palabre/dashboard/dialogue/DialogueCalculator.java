package io.palabre.dashboard.dialogue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the dialogue metrics of one organisation account from the posts around it; each formula is documented
 * with a worked example in docs/dialogue-metrics.md.
 *
 * <p>People are accounts that are neither organisation accounts nor bots.
 */
public final class DialogueCalculator {

    private static final Comparator<Interaction> BY_TIME = Comparator.comparing(Interaction::createdAt)
            .thenComparing(Interaction::id);

    private final Set<String> organisationAccounts;
    private final Set<String> bots;
    private final int queueLimit;

    public DialogueCalculator(Set<String> organisationAccounts, Set<String> bots, int queueLimit) {
        this.organisationAccounts = organisationAccounts;
        this.bots = bots;
        this.queueLimit = queueLimit;
    }

    /** The posts a calculation needs, as the database returns them. */
    public record Inputs(
            /** Posts created in the window that answer, name, quote or repost the account. */
            List<Interaction> towardAccount,
            /** The account's own posts created from the window's start on (later answers count). */
            List<Interaction> byAccount,
            /** Replies created in the window in the conversations where the account posted in the window. */
            List<Interaction> repliesInItsConversations) {
    }

    /**
     * The conversations the account's posts created before {@code to} are in: where its replies are counted for
     * horizontality, so a loader fetches their replies.
     */
    public static Set<String> conversationsBefore(List<Interaction> own, Instant to) {
        Set<String> conversations = new LinkedHashSet<>();
        for (Interaction r : own) {
            if (r.createdAt().isBefore(to)) {
                conversations.add(r.conversationId());
            }
        }
        return conversations;
    }

    /** A person's mention of the account, and when the account first answered it (null: not yet). */
    public record Wait(Interaction mention, Instant answeredAt) {

        /** Seconds from the mention to its answer, or to {@code now} while unanswered. */
        public long seconds(Instant now) {
            return Duration.between(mention.createdAt(), answeredAt == null ? now : answeredAt).toSeconds();
        }
    }

    /** Alternating turns between the account and one person in one conversation. */
    public record Exchange(String conversationId, String personId, int turns, Instant firstAt, Instant lastAt) {
    }

    /** The waits and exchanges of a window, for reports that list them. */
    public record Details(List<Wait> waits, List<Exchange> exchanges) {
    }

    public Details details(String account, Instant from, Instant to, Inputs in) {
        List<Interaction> own = own(in, from);
        List<Interaction> mentions = mentions(account, from, to, in);
        return new Details(waits(mentions, own), exchanges(mentions, own));
    }

    /** Whether and when the account answered each of people's mentions of [from, to), oldest first. */
    public List<Wait> waits(String account, Instant from, Instant to, Inputs in) {
        return waits(mentions(account, from, to, in), own(in, from));
    }

    private static List<Interaction> own(Inputs in, Instant from) {
        return in.byAccount().stream().filter(p -> !p.createdAt().isBefore(from)).sorted(BY_TIME).toList();
    }

    /** People's posts of the window that interact with the account. */
    private List<Interaction> toward(String account, Instant from, Instant to, Inputs in) {
        return in.towardAccount().stream()
                .filter(p -> inWindow(p, from, to) && isPerson(p.authorId()) && p.interactsWith(account))
                .sorted(BY_TIME).toList();
    }

    private List<Interaction> mentions(String account, Instant from, Instant to, Inputs in) {
        return toward(account, from, to, in).stream().filter(p -> p.addresses(account)).toList();
    }

    /**
     * Whether (and when first) the account answered each of people's mentions: its first post, not a repost, at or
     * after the mention, that replies to it, or replies to its author in its conversation. The account's replies are
     * indexed by the post and by the conversation and author they answer, so that this is linear in the posts.
     */
    private static List<Wait> waits(List<Interaction> mentions, List<Interaction> own) {
        Map<String, List<Interaction>> byParent = new java.util.HashMap<>();
        Map<String, List<Interaction>> byPerson = new java.util.HashMap<>();
        for (Interaction r : own) { // sorted by time
            if (r.isRepost()) {
                continue;
            }
            if (r.replyToId() != null) {
                byParent.computeIfAbsent(r.replyToId(), k -> new ArrayList<>()).add(r);
            }
            if (r.replyToAuthorId() != null) {
                byPerson.computeIfAbsent(r.conversationId() + "\n" + r.replyToAuthorId(), k -> new ArrayList<>())
                        .add(r);
            }
        }
        List<Wait> waits = new ArrayList<>(mentions.size());
        for (Interaction m : mentions) {
            Instant first = firstAtOrAfter(byParent.get(m.id()), m, null);
            first = firstAtOrAfter(byPerson.get(m.conversationId() + "\n" + m.authorId()), m, first);
            waits.add(new Wait(m, first));
        }
        return waits;
    }

    /** The earliest of {@code best} and the first reply of {@code replies} (sorted) at or after the mention. */
    private static Instant firstAtOrAfter(List<Interaction> replies, Interaction m, Instant best) {
        if (replies == null) {
            return best;
        }
        for (Interaction r : replies) {
            if (!r.createdAt().isBefore(m.createdAt()) && !r.id().equals(m.id())) {
                return best == null || r.createdAt().isBefore(best) ? r.createdAt() : best;
            }
        }
        return best;
    }

    /** Dialogue depth: alternating turns between the account and one person in one conversation. */
    private static List<Exchange> exchanges(List<Interaction> mentions, List<Interaction> own) {
        Map<String, List<Interaction>> byPair = new LinkedHashMap<>();
        for (Interaction m : mentions) {
            byPair.computeIfAbsent(m.conversationId() + "\n" + m.authorId(), k -> new ArrayList<>()).add(m);
        }
        for (Interaction r : own) {
            if (!r.isRepost() && r.replyToAuthorId() != null) {
                List<Interaction> turns = byPair.get(r.conversationId() + "\n" + r.replyToAuthorId());
                if (turns != null) {
                    turns.add(r);
                }
            }
        }
        List<Exchange> exchanges = new ArrayList<>(byPair.size());
        for (List<Interaction> posts : byPair.values()) {
            posts.sort(BY_TIME);
            int turns = 0;
            String last = null;
            for (Interaction p : posts) {
                if (!p.authorId().equals(last)) {
                    turns++;
                    last = p.authorId();
                }
            }
            Interaction opening = posts.get(0);
            exchanges.add(new Exchange(opening.conversationId(), opening.authorId(), turns, opening.createdAt(),
                    posts.get(posts.size() - 1).createdAt()));
        }
        return exchanges;
    }

    public DialogueMetrics compute(String account, String window, Instant from, Instant to, Inputs in,
            Instant now) {
        List<Interaction> own = own(in, from);
        List<Interaction> ownInWindow = own.stream().filter(p -> p.createdAt().isBefore(to)).toList();
        List<Interaction> toward = toward(account, from, to, in);

        // People's mentions, and whether (and when first) the account answered each.
        List<Interaction> mentions = toward.stream().filter(p -> p.addresses(account)).toList();
        List<Long> responseSeconds = new ArrayList<>();
        List<Interaction> unanswered = new ArrayList<>();
        for (Wait w : waits(mentions, own)) {
            if (w.answeredAt() == null) {
                unanswered.add(w.mention());
            } else {
                responseSeconds.add(Duration.between(w.mention().createdAt(), w.answeredAt()).toSeconds());
            }
        }
        responseSeconds.sort(null);
        int answered = responseSeconds.size();

        List<Exchange> exchanges = exchanges(mentions, own);
        int maxTurns = 0;
        int dialogues = 0;
        long totalTurns = 0;
        for (Exchange e : exchanges) {
            totalTurns += e.turns();
            maxTurns = Math.max(maxTurns, e.turns());
            if (e.turns() >= 3) {
                dialogues++;
            }
        }

        // Reciprocity and flows.
        Set<String> partners = new HashSet<>();
        int downward = 0;
        for (Interaction r : ownInWindow) {
            for (String target : r.targets()) {
                if (isPerson(target)) {
                    partners.add(target);
                    downward++;
                }
            }
        }
        Set<String> interactingBack = new HashSet<>();
        for (Interaction p : toward) {
            interactingBack.add(p.authorId());
        }
        int reciprocated = (int) partners.stream().filter(interactingBack::contains).count();
        int upward = toward.size();

        // Horizontality: replies people exchange among themselves in the account's conversations.
        Set<String> conversations = new HashSet<>();
        ownInWindow.forEach(r -> conversations.add(r.conversationId()));
        int peopleReplies = 0;
        int organisationReplies = 0;
        for (Interaction r : in.repliesInItsConversations()) {
            if (r.isRepost() || r.replyToAuthorId() == null || r.replyToAuthorId().equals(r.authorId())
                    || !conversations.contains(r.conversationId()) || !inWindow(r, from, to)) {
                continue;
            }
            boolean organisationSide = organisationAccounts.contains(r.authorId())
                    || organisationAccounts.contains(r.replyToAuthorId());
            if (organisationSide) {
                organisationReplies++;
            } else if (isPerson(r.authorId()) && isPerson(r.replyToAuthorId())) {
                peopleReplies++;
            }
        }

        List<DialogueMetrics.Unanswered> queue = unanswered.stream().limit(queueLimit)
                .map(m -> new DialogueMetrics.Unanswered(m.id(), m.conversationId(), m.authorId(), m.createdAt(),
                        m.url(), m.text()))
                .toList();
        return new DialogueMetrics(account, window, from, to, now, mentions.size(), answered,
                ratio(answered, mentions.size()), median(responseSeconds), nearestRank(responseSeconds, 0.9),
                unanswered.size(), queue, exchanges.size(),
                exchanges.isEmpty() ? null : (double) totalTurns / exchanges.size(), maxTurns, dialogues,
                partners.size(), reciprocated, ratio(reciprocated, partners.size()), upward, downward,
                conversations.size(), peopleReplies, organisationReplies,
                ratio(peopleReplies, peopleReplies + organisationReplies));
    }

    private boolean isPerson(String accountId) {
        return accountId != null && !organisationAccounts.contains(accountId) && !bots.contains(accountId);
    }

    private static boolean inWindow(Interaction p, Instant from, Instant to) {
        return !p.createdAt().isBefore(from) && p.createdAt().isBefore(to);
    }

    private static Double ratio(int numerator, int denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    /** The middle value, or the mean of the two middle values. */
    static Long median(List<Long> sorted) {
        int n = sorted.size();
        if (n == 0) {
            return null;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The nearest-rank percentile: the smallest value with at least p of the values at or below it. */
    static Long nearestRank(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
