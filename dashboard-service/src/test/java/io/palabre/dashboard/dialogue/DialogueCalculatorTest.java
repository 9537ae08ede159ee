package io.palabre.dashboard.dialogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/dialogue-metrics.md, with every figure computed by hand, and the edge cases around it.
 */
class DialogueCalculatorTest {

    private static final String ACME = "x:acme";
    private static final String HELP = "x:acme_help";
    private static final String BOT = "x:newsbot";
    private static final Instant FROM = at("10:00");
    private static final Instant TO = at("12:00");

    private final List<Interaction> posts = new ArrayList<>();

    @Test
    void workedExample() {
        post("a0", "c0", "ann", "09:00", null, null, Set.of(ACME));
        post("a1", "c1", "ann", "10:00", null, null, Set.of(ACME));
        post("o1", "c1", ACME, "10:10", "a1", "ann", Set.of());
        post("a2", "c1", "ann", "10:20", "o1", ACME, Set.of());
        post("b1", "c1", "bob", "10:30", "a1", "ann", Set.of());
        post("b2", "c1", "bob", "10:40", "o1", ACME, Set.of());
        post("o2", "c1", ACME, "10:50", "a2", "ann", Set.of());
        posts.add(new Interaction("c1p", "c2", "cat", at("10:05"), "post", null, null, Set.of(), ACME, null,
                "https://x.com/cat/status/1", "what do you make of this?"));
        post("h1", "c2", HELP, "10:15", "c1p", "cat", Set.of());
        post("d1", "c3", "dan", "11:00", null, null, Set.of(ACME));
        post("d2", "c3", "dan", "11:05", "d1", "dan", Set.of());
        post("o3", "c3", ACME, "13:00", "d2", "dan", Set.of());
        post("n1", "c5", BOT, "11:10", null, null, Set.of(ACME));
        posts.add(new Interaction("r1", "r1", "dan", at("11:20"), "repost", null, null, Set.of(), null, ACME, null,
                null));
        post("o4", "c4", ACME, "11:30", null, null, Set.of("eve"));

        DialogueMetrics m = compute();

        assertEquals(5, m.peopleMentions(), "a1, a2, b2, c1p, d1");
        assertEquals(3, m.answered(), "a1 and a2 directly, d1 later in its thread");
        assertEquals(0.6, m.responseRate());
        assertEquals(1800L, m.medianFirstResponseSeconds(), "600, 1800, 7200");
        assertEquals(7200L, m.p90FirstResponseSeconds());
        assertEquals(2, m.unansweredCount());
        assertEquals(List.of("c1p", "b2"), m.unanswered().stream().map(DialogueMetrics.Unanswered::mentionId).toList());
        assertEquals("https://x.com/cat/status/1", m.unanswered().get(0).url());
        assertEquals(4, m.exchanges(), "ann in c1, bob in c1, cat in c2, dan in c3");
        assertEquals(2.0, m.averageTurns(), "4 + 1 + 1 + 2 turns");
        assertEquals(4, m.maxTurns());
        assertEquals(1, m.dialogues());
        assertEquals(2, m.partners(), "ann and eve");
        assertEquals(1, m.reciprocatedPartners());
        assertEquals(0.5, m.reciprocity());
        assertEquals(6, m.upwardFlow(), "a1, a2, b2, c1p, d1 and the repost r1");
        assertEquals(3, m.downwardFlow(), "o1, o2 to ann, o4 to eve");
        assertEquals(2, m.conversations(), "c1 and c4");
        assertEquals(1, m.peopleReplies(), "b1");
        assertEquals(4, m.organisationReplies(), "o1, a2, b2, o2");
        assertEquals(0.2, m.horizontality());
    }

    @Test
    void anotherOrganisationAccountDoesNotAnswerForThisOne() {
        post("p1", "c1", "ann", "10:00", null, null, Set.of(ACME));
        post("h1", "c1", HELP, "10:05", "p1", "ann", Set.of());
        DialogueMetrics m = compute();
        assertEquals(1, m.peopleMentions());
        assertEquals(0, m.answered());
        assertEquals(0.0, m.responseRate());
        assertNull(m.medianFirstResponseSeconds());
    }

    @Test
    void answerToTheAuthorInAnotherConversationDoesNotCount() {
        post("p1", "c1", "ann", "10:00", null, null, Set.of(ACME));
        post("o1", "c2", ACME, "10:05", "z9", "ann", Set.of());
        DialogueMetrics m = compute();
        assertEquals(0, m.answered());
        assertEquals(1, m.unansweredCount());
    }

    @Test
    void answerBeforeTheMentionDoesNotAnswerIt() {
        post("o0", "c1", ACME, "10:00", "p0", "ann", Set.of());
        post("p1", "c1", "ann", "10:30", "o0", ACME, Set.of());
        DialogueMetrics m = compute();
        assertEquals(1, m.peopleMentions());
        assertEquals(0, m.answered());
        assertEquals(2, m.maxTurns(), "the account, then ann");
    }

    @Test
    void nothingToMeasureGivesNoRatios() {
        DialogueMetrics m = compute();
        assertEquals(0, m.peopleMentions());
        assertNull(m.responseRate());
        assertNull(m.p90FirstResponseSeconds());
        assertNull(m.averageTurns());
        assertNull(m.reciprocity());
        assertNull(m.horizontality());
    }

    @Test
    void evenNumberOfResponseTimesTakesTheMeanOfTheMiddleTwo() {
        post("p1", "c1", "ann", "10:00", null, null, Set.of(ACME));
        post("o1", "c1", ACME, "10:01", "p1", "ann", Set.of());
        post("p2", "c2", "bob", "10:00", null, null, Set.of(ACME));
        post("o2", "c2", ACME, "10:03", "p2", "bob", Set.of());
        DialogueMetrics m = compute();
        assertEquals(120L, m.medianFirstResponseSeconds(), "(60 + 180) / 2");
        assertEquals(180L, m.p90FirstResponseSeconds());
    }

    private DialogueMetrics compute() {
        List<Interaction> toward = posts.stream().filter(p -> p.interactsWith(ACME) && !p.authorId().equals(ACME)
                && !p.createdAt().isBefore(FROM) && p.createdAt().isBefore(TO)).toList();
        List<Interaction> own = posts.stream().filter(p -> p.authorId().equals(ACME)).toList();
        List<Interaction> replies = posts.stream().filter(p -> p.replyToAuthorId() != null).toList();
        return new DialogueCalculator(Set.of(ACME, HELP), Set.of(BOT), 100).compute(ACME, "test", FROM, TO,
                new DialogueCalculator.Inputs(toward, own, replies), TO);
    }

    private void post(String id, String conversation, String author, String time, String replyTo,
            String replyToAuthor, Set<String> mentioned) {
        posts.add(new Interaction(id, conversation, author, at(time), "post", replyTo, replyToAuthor, mentioned,
                null, null, null, "text of " + id));
    }

    @Test
    void theIndexedFirstAnswerIsTheOneAPlainScanOfTheAccountsPostsFinds() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            List<Interaction> toward = new ArrayList<>();
            List<Interaction> own = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String conversation = "c" + random.nextInt(5);
                Instant when = FROM.plusSeconds(random.nextInt(7200));
                if (random.nextBoolean()) {
                    toward.add(new Interaction("m" + i, conversation, "p" + random.nextInt(4), when, "post", null,
                            null, Set.of(ACME), null, null, null, "t"));
                } else {
                    String parent = random.nextInt(3) == 0 ? "m" + random.nextInt(40) : null;
                    own.add(new Interaction("o" + i, conversation, ACME, when, random.nextInt(6) == 0 ? "repost"
                            : "post", parent, "p" + random.nextInt(4), Set.of(), null, null, null, "t"));
                }
            }
            own.sort(java.util.Comparator.comparing(Interaction::createdAt).thenComparing(Interaction::id));
            DialogueCalculator.Details details = new DialogueCalculator(Set.of(ACME), Set.of(), 100).details(ACME,
                    FROM, TO, new DialogueCalculator.Inputs(toward, own, List.of()));
            for (DialogueCalculator.Wait w : details.waits()) {
                Instant expected = null;
                for (Interaction r : own) {
                    Interaction m = w.mention();
                    if (r.isRepost() || r.createdAt().isBefore(m.createdAt())) {
                        continue;
                    }
                    if (m.id().equals(r.replyToId()) || m.conversationId().equals(r.conversationId())
                            && m.authorId().equals(r.replyToAuthorId()) && !r.id().equals(m.id())) {
                        expected = r.createdAt();
                        break;
                    }
                }
                assertEquals(expected, w.answeredAt(), w.mention().id() + " in round " + round);
            }
        }
    }

    private static Instant at(String time) {
        return Instant.parse("2026-03-02T" + time + ":00Z");
    }
}
