package io.palabre.ingest.connector.x;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.PlatformHttp;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.connector.PollingConnector;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.query.ListeningQuery;

/**
 * X API v2 recent search: the query's terms and hashtags (X's own operators are the same), with the fields and
 * expansions that carry {@code conversation_id}, {@code referenced_tweets}, mentions and authors; paged with
 * {@code next_token}; the cursor is the newest post id seen ({@code since_id}). Search reaches back 7 days only:
 * a query whose cursor is older records the rest as a gap.
 */
@ApplicationScoped
public class XRecentSearchConnector implements PollingConnector {

    static final String FIELDS = "tweet.fields=author_id,conversation_id,created_at,in_reply_to_user_id,"
            + "referenced_tweets,entities,lang,edit_history_tweet_ids"
            + "&expansions=author_id,referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id,"
            + "entities.mentions.username&user.fields=username,name";
    private static final Duration REACH = Duration.ofDays(7);
    private static final int MAX_QUERY = 512;

    private final PlatformHttp http;
    private final XMapper mapper;
    private final ConnectorsConfig config;

    public XRecentSearchConnector(PlatformHttp http, XMapper mapper, ConnectorsConfig config) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public String name() {
        return "x-recent-search";
    }

    @Override
    public String platform() {
        return "x";
    }

    @Override
    public boolean configured() {
        return config.x().enabled() && config.x().bearerToken().isPresent();
    }

    @Override
    public Poll poll(ListeningQuery query, String cursor) throws PlatformException {
        String q = searchQuery(query);
        if (q.length() > MAX_QUERY) {
            throw new PlatformException("the X query for '" + query.name + "' is " + q.length()
                    + " characters, more than X's " + MAX_QUERY);
        }
        Map<String, String> auth = Map.of("Authorization", "Bearer " + config.x().bearerToken().orElseThrow());
        Source source = new Source(name(), query.name, Instant.now());
        Mapping mapping = new Mapping();
        String newest = cursor;
        Instant newestAt = null;
        Instant nextAllowed = Instant.now();
        String start = cursor == null
                ? "&start_time=" + Instant.now().minus(min(config.firstLookback(), REACH)).plusSeconds(60)
                        .truncatedTo(ChronoUnit.SECONDS)
                : "&since_id=" + cursor;
        String next = null;
        for (int page = 0; page < config.x().maxPages(); page++) {
            String url = config.x().baseUrl() + "/2/tweets/search/recent?max_results=100&query="
                    + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&" + FIELDS + start
                    + (next == null ? "" : "&next_token=" + next);
            PlatformHttp.Response response = http.get(url, auth);
            nextAllowed = response.nextAllowedAt();
            JsonNode body = response.json();
            Mapping pageMapping = mapper.map(body, source);
            pageMapping.mentions().forEach(mapping::add);
            pageMapping.problems().forEach(p -> mapping.problem(p.reason(), p.item()));
            for (JsonNode t : body.path("data")) {
                newest = newer(newest, t.path("id").asText());
            }
            for (MentionCaptured m : pageMapping.mentions()) {
                newestAt = newestAt == null || m.createdAt().isAfter(newestAt) ? m.createdAt() : newestAt;
            }
            next = body.path("meta").hasNonNull("next_token") ? body.path("meta").get("next_token").asText() : null;
            if (next == null) {
                break;
            }
        }
        List<Missed> missed = new ArrayList<>();
        if (next != null) {
            // The newest pages were read; older results of this window stay behind the token.
            missed.add(new Missed("range", null, newestAt, null, "more than " + config.x().maxPages()
                    + " pages of results in one cycle; the oldest of them were not collected"));
        }
        return new Poll(mapping, newest, newestAt, nextAllowed, missed);
    }

    /** The X query: the terms as written (X has the same operators), or the hashtags. */
    static String searchQuery(ListeningQuery query) {
        List<String> parts = new ArrayList<>();
        if (query.terms != null && !query.terms.isBlank()) {
            parts.add("(" + query.terms.replaceAll("\\bNOT\\s+", "-").replace(" AND ", " ") + ")");
        }
        for (String tag : query.hashtags) {
            parts.add("#" + tag);
        }
        return String.join(" OR ", parts);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String newer(String a, String b) {
        if (a == null) {
            return b;
        }
        return new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b;
    }
}
