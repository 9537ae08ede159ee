package io.palabre.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generates realistic, reproducible public dialogue as canonical mentions: reply trees of varying depth on five
 * platforms, mentions, hashtags, links, quotes and reposts; a power-law spread of activity across accounts; and
 * organisation accounts that answer some of the mentions addressed to them, after realistic delays, and ignore
 * the others. The same seed and start give the same mentions.
 */
public final class SampleGenerator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] PLATFORMS = { "bluesky", "mastodon", "reddit", "hackernews", "x" };
    private static final double[] PLATFORM_WEIGHTS = { 0.34, 0.26, 0.16, 0.09, 0.15 };
    private static final String[] MASTODON_INSTANCES = { "mastodon.social", "fosstodon.org", "mas.to", "piaille.fr",
            "mastodon.online" };
    private static final String[] SUBREDDITS = { "transit", "france", "libraries", "technology", "europe" };
    private static final String[] TOPICS = { "acmerail", "transport", "strike", "accessibility", "opendata",
            "library", "greve", "velo", "climate", "cities" };
    private static final String[] EN_OPENERS = { "Does anyone know why", "Honest question:", "Third time this week",
            "Really impressed that", "Can someone explain why", "Not happy that", "Good news:", "Thread:",
            "Is it just me or", "Shout-out to the team:" };
    private static final String[] EN_SUBJECTS = { "the 8:15 is cancelled again", "the app shows the wrong platform",
            "the new timetable skips my stop", "the lifts at Central are fixed", "refunds take six weeks",
            "the night service is back", "the reading room opens on Sundays now", "the e-book loans keep failing",
            "the station staff helped my dad", "prices went up without notice" };
    private static final String[] FR_OPENERS = { "Quelqu'un sait pourquoi", "Franchement,", "Encore une fois",
            "Bravo parce que", "Petite question :", "Pas content que", "Bonne nouvelle :" };
    private static final String[] FR_SUBJECTS = { "le train de 8h15 est encore supprimé", "l'appli affiche le mauvais quai",
            "la médiathèque ouvre le dimanche", "les ascenseurs de la gare marchent enfin",
            "le remboursement prend six semaines", "le service de nuit revient" };
    private static final String[] EN_REPLIES = { "Same here.", "Thanks, that helps!", "Any update on this?",
            "I disagree, it was fine for me.", "Source?", "This is exactly the problem.", "Good point.",
            "Did you report it?", "They fixed it for me after a week.", "Still waiting for an answer.",
            "Agreed, and the signage is confusing too.", "Happened to me yesterday." };
    private static final String[] FR_REPLIES = { "Pareil ici.", "Merci, ça aide !", "Des nouvelles ?",
            "Pas d'accord, tout allait bien.", "Source ?", "C'est exactement le problème.", "Toujours pas de réponse." };
    private static final String[] ORG_ANSWERS_EN = { "Sorry about this. Could you send us your booking reference by DM?",
            "Thanks for flagging, we've passed this to the station team.",
            "We're looking into it and will update this thread.", "Glad it helped, thanks for the kind words!" };
    private static final String[] ORG_ANSWERS_FR = { "Désolés pour ce désagrément, pouvez-vous nous écrire en privé ?",
            "Merci du signalement, nous transmettons à l'équipe.", "Nous regardons et revenons vers vous ici." };

    private final Random random;
    private final Instant start;
    private final Duration span;
    private final List<Organisation> organisations = new ArrayList<>();
    private final Platform[] platforms = new Platform[PLATFORMS.length];
    private long sequence;

    /** An organisation and its account on some platforms, with how often it answers. */
    public record Organisation(String name, double answerRate, Account[] accounts) {

        /** Its account on that platform, or null. */
        public Account accountOn(String platform) {
            for (Account a : accounts) {
                if (a.platform().equals(platform)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** An account on one platform. */
    public record Account(String platform, String id, String handle, String displayName, boolean bot) {
    }

    /** One generated mention: its canonical JSON and what a test needs to know about it. */
    public record Event(String id, String conversationId, String kind, Instant createdAt, ObjectNode json) {

        /** The Kafka record key: the stated conversation, else the id. */
        public String key() {
            return json.get("conversationId").isNull() ? id : json.get("conversationId").asText();
        }
    }

    /** A generated sample: mentions in arrival order and the reply threads they form. */
    public record Sample(List<Event> events, Set<String> conversations, int replies, int reposts, int quotes,
            int organisationAnswers) {
    }

    public SampleGenerator(long seed, Instant start, Duration span) {
        this.random = new Random(seed);
        this.start = start;
        this.span = span;
        for (int i = 0; i < PLATFORMS.length; i++) {
            platforms[i] = new Platform(PLATFORMS[i], 800);
        }
        organisations.add(new Organisation("Acme Rail", 0.6, new Account[] {
                account("bluesky", "acmerail.bsky.social", "Acme Rail", "acmerailofficial"),
                account("mastodon", "acmerail@mastodon.social", "Acme Rail", "acmerail"),
                account("x", "AcmeRail", "Acme Rail", "1600000000000000001"),
                account("reddit", "AcmeRail_Official", "AcmeRail_Official", "AcmeRail_Official") }));
        organisations.add(new Organisation("City Library", 0.3, new Account[] {
                account("bluesky", "citylibrary.bsky.social", "City Library", "citylibraryofficial"),
                account("mastodon", "library@piaille.fr", "Médiathèque de la Ville", "library") }));
    }

    /**
     * Numbers the posts from {@code sequence} on: post ids derive from the author and this number, so two generators
     * that share accounts make the same ids unless they number their posts apart.
     */
    public SampleGenerator startingAt(long sequence) {
        this.sequence = sequence;
        return this;
    }

    public List<Organisation> organisations() {
        return organisations;
    }

    /** Generates threads until at least {@code count} mentions exist, in arrival order. */
    public Sample generate(int count) {
        List<Event> events = new ArrayList<>(count + 64);
        Set<String> conversations = new LinkedHashSet<>();
        int[] stats = new int[4];
        List<Event> roots = new ArrayList<>();
        while (events.size() < count) {
            Instant at = start.plusMillis((long) (random.nextDouble() * span.toMillis()));
            List<Event> thread = thread(at, roots, stats);
            conversations.add(thread.get(0).id());
            roots.add(thread.get(0));
            events.addAll(thread);
            if (random.nextDouble() < 0.25 && !events.isEmpty()) {
                events.add(repost(events.get(random.nextInt(events.size()))));
                stats[1]++;
            }
        }
        events = endBy(events, start.plus(span));
        events.sort(Comparator.comparing(Event::createdAt).thenComparing(Event::id));
        // Platforms deliver out of order: some replies arrive before the post they answer.
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).json().hasNonNull("replyTo") && random.nextDouble() < 0.04) {
                int j = Math.max(0, i - 1 - random.nextInt(20));
                events.add(j, events.remove(i));
            }
        }
        return new Sample(events, conversations, stats[0], stats[1], stats[2], stats[3]);
    }

    /** Shifts every mention back by the same amount so that none is later than {@code end}. */
    private static List<Event> endBy(List<Event> events, Instant end) {
        Instant latest = events.stream().map(Event::createdAt).max(Comparator.naturalOrder()).orElse(end);
        if (!latest.isAfter(end)) {
            return events;
        }
        Duration shift = Duration.between(end, latest);
        List<Event> shifted = new ArrayList<>(events.size());
        for (Event e : events) {
            Instant at = e.createdAt().minus(shift);
            e.json().put("createdAt", at.toString());
            ((ObjectNode) e.json().get("source")).put("capturedAt", at.plusSeconds(2).toString());
            shifted.add(new Event(e.id(), e.conversationId(), e.kind(), at, e.json()));
        }
        return shifted;
    }

    /** An endless thread-by-thread stream, for load: each call returns the next thread's mentions. */
    public List<Event> nextThread(Instant at) {
        return thread(at, new ArrayList<>(), new int[4]);
    }

    private List<Event> thread(Instant at, List<Event> earlierRoots, int[] stats) {
        Platform platform = platforms[pick(PLATFORM_WEIGHTS)];
        boolean french = platform.name.equals("mastodon") ? random.nextDouble() < 0.45 : random.nextDouble() < 0.15;
        Account author = platform.person(random);
        Organisation addressed = random.nextDouble() < 0.45 ? organisations.get(random.nextDouble() < 0.7 ? 0 : 1)
                : null;
        Account orgAccount = addressed == null ? null : addressed.accountOn(platform.name);
        String topic = TOPICS[random.nextInt(TOPICS.length)];
        String text = french
                ? FR_OPENERS[random.nextInt(FR_OPENERS.length)] + " " + FR_SUBJECTS[random.nextInt(FR_SUBJECTS.length)]
                : EN_OPENERS[random.nextInt(EN_OPENERS.length)] + " " + EN_SUBJECTS[random.nextInt(EN_SUBJECTS.length)];
        List<Account> named = new ArrayList<>();
        if (orgAccount != null) {
            text = "@" + orgAccount.handle() + " " + text;
            named.add(orgAccount);
        }
        String quoteOf = null;
        if (!earlierRoots.isEmpty() && random.nextDouble() < 0.06) {
            Event quoted = earlierRoots.get(random.nextInt(earlierRoots.size()));
            if (quoted.json().get("platform").asText().equals(platform.name)) {
                quoteOf = quoted.id();
                stats[2]++;
            }
        }
        List<Event> thread = new ArrayList<>();
        Event root = post(platform, author, null, null, at, text, topic, named, quoteOf, french);
        thread.add(root);

        int size = threadSize();
        for (int i = 1; i < size; i++) {
            Event parent = thread.get(parentIndex(thread.size()));
            Account parentAuthor = authorOf(parent, platform);
            Account replier = random.nextDouble() < 0.25 && thread.size() > 1 ? authorOf(thread.get(0), platform)
                    : platform.person(random);
            if (replier.id().equals(parentAuthor.id())) {
                replier = platform.person(random);
            }
            Instant when = parent.createdAt().plus(delay(4));
            String reply = french ? FR_REPLIES[random.nextInt(FR_REPLIES.length)]
                    : EN_REPLIES[random.nextInt(EN_REPLIES.length)];
            List<Account> replyNamed = new ArrayList<>(List.of(parentAuthor));
            if (orgAccount != null && random.nextDouble() < 0.15) {
                replyNamed.add(orgAccount);
                reply = reply + " @" + orgAccount.handle();
            }
            thread.add(post(platform, replier, parent, root, when, "@" + parentAuthor.handle() + " " + reply, topic,
                    replyNamed, null, french));
            stats[0]++;
        }
        if (orgAccount != null && random.nextDouble() < addressed.answerRate()) {
            // The organisation answers the person who addressed it, after a realistic delay; sometimes a dialogue.
            Event addressedPost = thread.get(0);
            Instant when = addressedPost.createdAt().plus(delay(45));
            Event answer = post(platform, orgAccount, addressedPost, root, when, "@" + author.handle() + " "
                    + (french ? ORG_ANSWERS_FR[random.nextInt(ORG_ANSWERS_FR.length)]
                            : ORG_ANSWERS_EN[random.nextInt(ORG_ANSWERS_EN.length)]),
                    topic, List.of(author), null, french);
            thread.add(answer);
            stats[3]++;
            Event last = answer;
            int turns = random.nextInt(3);
            for (int t = 0; t < turns; t++) {
                boolean personTurn = t % 2 == 0;
                Account speaker = personTurn ? author : orgAccount;
                Account other = personTurn ? orgAccount : author;
                last = post(platform, speaker, last, root, last.createdAt().plus(delay(personTurn ? 10 : 30)),
                        "@" + other.handle() + " " + (personTurn ? (french ? "Merci, c'est fait." : "Thanks, done.")
                                : (french ? "Parfait, c'est transmis." : "Perfect, it's with the team now.")),
                        topic, List.of(other), null, french);
                thread.add(last);
                if (!personTurn) {
                    stats[3]++;
                }
            }
        }
        return thread;
    }

    private int threadSize() {
        double u = random.nextDouble();
        if (u < 0.35) {
            return 1;
        }
        // Heavy tail: most threads are short, a few are long.
        return Math.min(120, 2 + (int) Math.floor(Math.pow(random.nextDouble(), -0.9) * 1.5));
    }

    private int parentIndex(int size) {
        // Prefer recent posts: chains grow deep, with some branching near the top.
        if (random.nextDouble() < 0.55) {
            return size - 1;
        }
        return random.nextInt(size);
    }

    private Duration delay(int medianMinutes) {
        double minutes = medianMinutes * Math.exp(random.nextGaussian() * 1.1);
        return Duration.ofSeconds(Math.max(5, (long) (minutes * 60)));
    }

    private Account authorOf(Event event, Platform platform) {
        String id = event.json().get("author").get("id").asText();
        for (Account a : platform.accounts) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        for (Organisation o : organisations) {
            for (Account a : o.accounts()) {
                if (a.id().equals(id)) {
                    return a;
                }
            }
        }
        throw new IllegalStateException("Unknown author " + id);
    }

    private Event post(Platform platform, Account author, Event parent, Event root, Instant at, String text,
            String topic, List<Account> named, String quoteOf, boolean french) {
        String name = platform.name;
        String id = platform.postId(author, ++sequence, parent == null);
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", id);
        n.put("platform", name);
        n.put("kind", "post");
        n.put("url", platform.url(id, author));
        n.put("createdAt", at.toString());
        author(n, author);
        List<String> hashtags = new ArrayList<>();
        List<String> links = new ArrayList<>();
        if (parent == null || random.nextDouble() < 0.2) {
            hashtags.add(topic);
            text = text + " #" + topic;
        }
        if (random.nextDouble() < 0.12) {
            String link = "https://example.org/news/" + topic + "/" + (sequence % 97);
            links.add(link);
            text = text + " " + link;
        }
        n.put("text", text);
        if (name.equals("mastodon") && random.nextDouble() < 0.2) {
            n.putNull("lang");
        } else {
            n.put("lang", french ? "fr" : "en");
        }
        if (parent == null) {
            n.putNull("replyTo");
        } else {
            ObjectNode r = n.putObject("replyTo");
            r.put("id", parent.id());
            r.put("authorId", parent.json().get("author").get("id").asText());
        }
        String conversationId = root == null ? null : root.id();
        String stated = switch (name) {
            case "mastodon" -> null;
            case "x" -> conversationId == null ? id : conversationId;
            default -> conversationId;
        };
        if (stated == null) {
            n.putNull("conversationId");
        } else {
            n.put("conversationId", stated);
        }
        ArrayNode mentions = n.putArray("mentions");
        for (Account a : named) {
            ObjectNode m = mentions.addObject();
            m.put("id", a.id());
            m.put("handle", a.handle());
        }
        ArrayNode tags = n.putArray("hashtags");
        hashtags.forEach(tags::add);
        ArrayNode linkArray = n.putArray("links");
        links.forEach(linkArray::add);
        if (quoteOf == null) {
            n.putNull("quoteOf");
        } else {
            n.put("quoteOf", quoteOf);
        }
        n.putNull("repostOf");
        source(n, at);
        return new Event(id, conversationId == null ? id : conversationId, "post", at, n);
    }

    private Event repost(Event original) {
        Platform platform = platformNamed(original.json().get("platform").asText());
        Account reposter = platform.person(random);
        Instant at = original.createdAt().plus(delay(90));
        String id = platform.postId(reposter, ++sequence, true);
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", id);
        n.put("platform", platform.name);
        n.put("kind", "repost");
        n.putNull("url");
        n.put("createdAt", at.toString());
        author(n, reposter);
        n.put("text", "");
        n.putNull("lang");
        n.putNull("replyTo");
        n.putNull("conversationId");
        n.putArray("mentions");
        n.putArray("hashtags");
        n.putArray("links");
        n.putNull("quoteOf");
        n.put("repostOf", original.id());
        source(n, at);
        return new Event(id, id, "repost", at, n);
    }

    private static void author(ObjectNode n, Account author) {
        ObjectNode a = n.putObject("author");
        a.put("id", author.id());
        a.put("handle", author.handle());
        a.put("displayName", author.displayName());
        a.put("bot", author.bot());
    }

    private static void source(ObjectNode n, Instant at) {
        ObjectNode s = n.putObject("source");
        s.put("connector", "sample-generator");
        s.putNull("query");
        s.put("capturedAt", at.plusSeconds(2).toString());
    }

    private Platform platformNamed(String name) {
        return Arrays.stream(platforms).filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }

    private int pick(double[] weights) {
        double u = random.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static Account account(String platform, String handle, String displayName, String localId) {
        String id = switch (platform) {
            case "bluesky" -> "bluesky:did:plc:" + localId;
            case "mastodon" -> "mastodon:" + handle;
            default -> platform + ":" + localId;
        };
        return new Account(platform, id, handle, displayName, false);
    }

    /** One platform's accounts, drawn with a power law (Zipf, s = 1.1). */
    private static final class Platform {
        final String name;
        final Account[] accounts;
        final double[] cumulative;

        Platform(String name, int size) {
            this.name = name;
            this.accounts = new Account[size];
            this.cumulative = new double[size];
            Random names = new Random(name.hashCode());
            double total = 0;
            for (int rank = 0; rank < size; rank++) {
                total += 1.0 / Math.pow(rank + 1, 1.1);
                cumulative[rank] = total;
                accounts[rank] = person(name, rank, names);
            }
            for (int rank = 0; rank < size; rank++) {
                cumulative[rank] /= total;
            }
        }

        Account person(Random random) {
            int index = Arrays.binarySearch(cumulative, random.nextDouble());
            return accounts[index >= 0 ? index : Math.min(accounts.length - 1, -index - 1)];
        }

        private static Account person(String platform, int rank, Random names) {
            String[] first = { "alex", "sam", "noor", "lea", "tom", "ines", "yuki", "omar", "ana", "marc", "zoe",
                    "raj", "eva", "hugo", "lina", "theo" };
            String base = first[names.nextInt(first.length)] + rank;
            boolean bot = rank % 97 == 13;
            return switch (platform) {
                case "bluesky" -> new Account(platform, "bluesky:did:plc:" + token(names, 24), base + ".bsky.social",
                        capitalise(base), bot);
                case "mastodon" -> {
                    String instance = MASTODON_INSTANCES[names.nextInt(MASTODON_INSTANCES.length)];
                    yield new Account(platform, "mastodon:" + base + "@" + instance, base + "@" + instance,
                            capitalise(base), bot);
                }
                case "x" -> new Account(platform, "x:" + (1_000_000_000L + names.nextInt(900_000_000)), base,
                        capitalise(base), bot);
                default -> new Account(platform, platform + ":" + base, base, null, bot);
            };
        }

        String postId(Account author, long sequence, boolean root) {
            return switch (name) {
                case "bluesky" -> "bluesky:at://" + author.id().substring("bluesky:".length())
                        + "/app.bsky.feed.post/3l" + Long.toString(1_000_000_000L + sequence * 7919, 32);
                case "mastodon" -> {
                    String[] user = author.handle().split("@");
                    yield "mastodon:https://" + user[1] + "/users/" + user[0] + "/statuses/"
                            + (113_000_000_000_000_000L + sequence * 4099);
                }
                case "reddit" -> "reddit:" + (root ? "t3_" : "t1_") + Long.toString(60_000_000L + sequence * 31, 36);
                case "hackernews" -> "hackernews:" + (40_000_000L + sequence);
                default -> "x:" + (1_800_000_000_000_000_000L + sequence * 104_729);
            };
        }

        String url(String id, Account author) {
            String local = id.substring(id.indexOf(':') + 1);
            return switch (name) {
                case "bluesky" -> "https://bsky.app/profile/" + author.handle() + "/post/"
                        + local.substring(local.lastIndexOf('/') + 1);
                case "mastodon" -> local;
                case "reddit" -> "https://www.reddit.com/comments/" + local.substring(3);
                case "hackernews" -> "https://news.ycombinator.com/item?id=" + local;
                default -> "https://x.com/" + author.handle() + "/status/" + local;
            };
        }

        private static String token(Random random, int length) {
            String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
            StringBuilder b = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return b.toString();
        }

        private static String capitalise(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }
}
