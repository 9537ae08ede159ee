package io.palabre.analysis.threading;

/**
 * How to read a stored mention's conversation. A merge does not rewrite the mentions of the fragment it ends: they
 * keep the conversation they were stored in, and {@code merged_conversation} (kept flat: {@code into_id} is always a
 * live conversation) says where that fragment went. Every reader of {@code mention} resolves it with these fragments.
 */
public final class MergedConversations {

    /** The stored mentions {@code m}, each with what its fragment was merged into ({@code g}, if it was). */
    public static final String MENTIONS = "mention m left join merged_conversation g on g.id = m.conversation_id";

    /** A mention's live conversation, over {@link #MENTIONS}. */
    public static final String CONVERSATION = "coalesce(g.into_id, m.conversation_id)";

    /**
     * These live conversations and every fragment merged into them, as one text array over parameter {@code ?} (a
     * text array of live conversations, given twice), for {@code m.conversation_id = any(...)}.
     */
    public static final String WITH_FRAGMENTS = "array(select unnest(?::text[]) union "
            + "select id from merged_conversation where into_id = any(?))";

    private MergedConversations() {
    }
}
