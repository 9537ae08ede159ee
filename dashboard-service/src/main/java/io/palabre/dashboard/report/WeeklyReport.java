package io.palabre.dashboard.report;

import java.time.Instant;
import java.util.List;

/**
 * One organisation account's week of dialogue against the week before: answers and their speed, the longest waits,
 * the dialogues of three turns or more, the accounts that drew the most conversation, the volume and the hashtags of
 * the mentions around it. {@code queries}: the listening queries that name it as the organisation's.
 */
public record WeeklyReport(String accountId, String week, Instant from, Instant to, Instant computedAt,
        List<String> queries, Side thisWeek, Side previousWeek, List<LongWait> longestWaits,
        List<Dialogue> dialogues, List<Drawn> drawingConversation, List<Tag> topHashtags) {

    /**
     * One week's figures. {@code mentions}: the mentions around the account (people's posts that answer, name, quote
     * or repost it, and its own); the rest as the dialogue metrics define them.
     */
    public record Side(long mentions, int peopleMentions, int answered, Double responseRate,
            Long medianFirstResponseSeconds, Long p90FirstResponseSeconds, int unansweredCount, int dialogues) {
    }

    /** A person's mention and how long it waited: until its answer, or until the week's end while unanswered. */
    public record LongWait(String mentionId, String conversationId, String authorId, Instant createdAt,
            Instant answeredAt, long waitSeconds, String url, String text) {
    }

    /** An exchange of three turns or more between the account and one person in one conversation. */
    public record Dialogue(String conversationId, String personId, int turns, Instant firstAt, Instant lastAt) {
    }

    /** An account and the replies it drew that week in the account's conversations. */
    public record Drawn(String accountId, String handle, long replies, long conversations) {
    }

    public record Tag(String hashtag, long mentions) {
    }
}
