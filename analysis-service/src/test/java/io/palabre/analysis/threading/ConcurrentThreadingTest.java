package io.palabre.analysis.threading;

import static io.palabre.analysis.Mentions.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Batches of different partitions threaded at the same time, each naming what the other stores: the facts one batch
 * could not see while the other was uncommitted (whom a post quotes, which fragment a post completes) must all be
 * found, as if the batches had run one after the other.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ConcurrentThreadingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");
    private static final int ROUNDS = 25;
    private static final int PER_BATCH = 20;

    @Inject
    ThreadingService threading;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void factsAcrossPartitionsAreFoundWhateverRanFirst() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8) + "-";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<ReceivedMention> quotes = new ArrayList<>();
                List<ReceivedMention> targets = new ArrayList<>();
                for (int i = 0; i < PER_BATCH; i++) {
                    String n = round + "-" + i;
                    // Quotes of posts stored at the same time on another partition.
                    ObjectNode quote = post("bluesky", p + "q" + n, "quoter", null, null, T0.plusSeconds(round));
                    quote.put("quoteOf", "bluesky:" + p + "t" + n);
                    quotes.add(received(quote, 0));
                    targets.add(received(post("bluesky", p + "t" + n, "quoted", null, null, T0), 1));
                    // A Mastodon reply to a post stored at the same time on another partition: it crosses partitions.
                    quotes.add(received(post("mastodon", p + "r" + n, "replier", p + "m" + n, null,
                            T0.plusSeconds(60)), 0));
                    targets.add(received(post("mastodon", p + "m" + n, "poster", null, null, T0), 1));
                }
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> a = pool.submit(applyAfter(start, quotes));
                Future<?> b = pool.submit(applyAfter(start, targets));
                a.get();
                b.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int all = ROUNDS * PER_BATCH;
        assertEquals(0L, count("select count(*) from mention where id like ? and quote_author_id is null",
                "bluesky:" + p + "q%"), "every quote knows whom it quotes");
        assertEquals((long) all, count("select weight from relationship where source_id = ? and target_id = ? "
                + "and type = 'quote'", "bluesky:quoter", "bluesky:quoted"));
        assertEquals((long) all, count("select count(*) from " + MergedConversations.MENTIONS + " where m.id like ? "
                + "and " + MergedConversations.CONVERSATION + " = m.reply_to_id",
                "mastodon:" + p + "r%"), "every reply is in its parent's conversation");
        assertEquals((long) all, count("select count(*) from conversation where id like ? and size = 2",
                "mastodon:" + p + "m%"), "each conversation counts its post and its reply");
        assertEquals((long) all, count("select count(*) from mention where id like ? and reply_to_author_id "
                + "= 'mastodon:poster'", "mastodon:" + p + "r%"));
    }

    private Callable<Void> applyAfter(CyclicBarrier start, List<ReceivedMention> batch) {
        return () -> {
            start.await();
            threading.apply(batch);
            return null;
        };
    }

    private static ReceivedMention received(ObjectNode node, int partition) throws Exception {
        String json = node.toString();
        MentionCaptured m = MAPPER.readValue(json, MentionCaptured.class);
        return new ReceivedMention(m, json, "test", ReceivedMention.ownerKey(m), partition, null);
    }

    private long count(String sql, String... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ((Number) rs.getObject(1)).longValue() : 0;
            }
        }
    }
}
