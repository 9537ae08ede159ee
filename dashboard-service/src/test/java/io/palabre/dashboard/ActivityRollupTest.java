package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.dashboard.service.ReadModelService;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The counts kept per hour, platform, language and query equal a recount of the stored mentions after random
 * imports, re-deliveries, late older versions, edits that move a mention's time or language, and deletes; and volume
 * over time read from them equals volume counted from the mentions, for a window whose ends cut hours. Real
 * PostgreSQL, the read model's own transaction.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ActivityRollupTest {

    /** A period no other test writes in. */
    private static final Instant T0 = Instant.parse("2043-03-01T00:00:00Z");
    private static final List<String> PLATFORMS = List.of("x", "mastodon", "bluesky");

    @Inject
    ReadModelService readModel;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theCountsEqualARecountWhateverArrivesTwiceLateOrChanged() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(20430301); // the same data every run: names differ by p, so runs never meet
        List<String> langs = List.of("en", "fr", "");
        List<String> queries = List.of("acme-" + p, "city-" + p, "");
        List<List<MentionThreaded>> sent = new ArrayList<>();
        int deletes = 0;
        int moved = 0;
        for (int step = 0; step < 120; step++) {
            List<MentionThreaded> batch = new ArrayList<>();
            if (!sent.isEmpty() && random.nextInt(6) == 0) {
                batch.addAll(sent.get(random.nextInt(sent.size()))); // delivered again
            }
            for (int i = random.nextInt(8); i >= 0; i--) {
                int n = random.nextInt(40);
                boolean deleted = random.nextInt(7) == 0;
                deletes += deleted ? 1 : 0;
                Instant at = T0.plus(Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
                moved++;
                batch.add(state(p, n, 1 + random.nextInt(6), at, pick(random, langs), pick(random, queries),
                        deleted, random.nextInt(10) == 0 ? "edit" : "post", some(random, "tag" + p + "-"),
                        some(random, "https://example.org/" + p + "/")));
            }
            sent.add(batch);
            readModel.apply(List.of(), batch);
        }
        assertTrue(deletes > 10 && moved > 300, "the run deleted and moved mentions: " + deletes + ", " + moved);

        Map<String, Long> kept = rows("select hour, platform, lang, query, mentions from activity_hourly where hour "
                + ">= ? and hour < ? and mentions <> 0");
        Map<String, Long> recounted = rows("select date_trunc('hour', created_at at time zone 'UTC') at time zone "
                + "'UTC', platform, coalesce(lang, chr(1)), coalesce(query, chr(1)), count(*) from mention where "
                + "created_at >= ? and created_at < ? and kind <> 'delete' and not deleted group by 1, 2, 3, 4");
        assertTrue(recounted.size() > 20, "cells: " + recounted.size());
        assertEquals(recounted, kept);

        // Volume over time, from the kept counts for whole hours and the mentions for the cut ones at each end.
        String from = T0.plus(Duration.ofMinutes(95)).toString();
        String to = T0.plus(Duration.ofHours(50)).plus(Duration.ofMinutes(20)).toString();
        for (String interval : List.of("hour", "day")) {
            JsonPath series = given().queryParam("interval", interval).queryParam("by", "lang")
                    .queryParam("from", from).queryParam("to", to).queryParam("query", "acme-" + p)
                    .get("/api/timeseries").then().statusCode(200).extract().jsonPath();
            Map<String, Long> served = new TreeMap<>();
            List<Map<String, Object>> all = series.getList("series");
            for (Map<String, Object> s : all) {
                for (Object point : (List<?>) s.get("points")) {
                    Map<?, ?> pt = (Map<?, ?>) point;
                    served.put(s.get("key") + " " + Instant.parse((String) pt.get("at")),
                            ((Number) pt.get("count")).longValue());
                }
            }
            Map<String, Long> counted = rows("select coalesce(lang, 'unknown'), date_trunc('" + interval
                    + "', created_at at time zone 'UTC') at time zone 'UTC', count(*) from mention where created_at"
                    + " >= ? and created_at < ? and kind <> 'delete' and not deleted and query = 'acme-" + p
                    + "' group by 1, 2", Instant.parse(from), Instant.parse(to));
            assertEquals(counted, served, interval);
        }

        // Hashtags and links, by hour and by day, and the tops read from them for windows that cut days and hours.
        for (String level : List.of("hour", "day")) {
            Map<String, Long> keptTags = rows("select kind, " + level + ", platform, lang, query, value, mentions "
                    + "from tag_" + (level.equals("day") ? "daily" : "hourly") + " where " + level + " >= ? and " + level + " < ? and mentions <> 0");
            Map<String, Long> recountedTags = rows("select t.kind, date_trunc('" + level + "', m.created_at at time "
                    + "zone 'UTC') at time zone 'UTC', m.platform, coalesce(m.lang, chr(1)), coalesce(m.query, "
                    + "chr(1)), t.value, count(*) from mention m cross join lateral (select 'hashtags' as kind, h as "
                    + "value from unnest(m.hashtags) h union all select 'links', l from unnest(m.links) l) t where "
                    + "m.created_at >= ? and m.created_at < ? and m.kind <> 'delete' and not m.deleted "
                    + "group by 1, 2, 3, 4, 5, 6");
            assertTrue(recountedTags.size() > 20, level + " cells: " + recountedTags.size());
            assertEquals(recountedTags, keptTags, level);
        }
        String later = T0.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(200)).toString();
        int compared = 0;
        for (String[] window : List.of(new String[] { from, to }, new String[] { from, later },
                new String[] { T0.plus(Duration.ofMinutes(10)).toString(), T0.plus(Duration.ofMinutes(50))
                        .toString() })) {
            for (String what : List.of("hashtags", "links")) {
                List<Map<String, Object>> rolled = given().queryParam("from", window[0]).queryParam("to", window[1])
                        .queryParam("lang", "en").queryParam("limit", 200).get("/api/top/" + what).then()
                        .statusCode(200).extract().jsonPath().getList("$");
                List<Map<String, Object>> counted = given().queryParam("from", window[0])
                        .queryParam("to", window[1]).queryParam("lang", "en").queryParam("limit", 200)
                        .queryParam("authors", "true").get("/api/top/" + what).then().statusCode(200).extract()
                        .jsonPath().getList("$");
                assertEquals(counted.stream().map(t -> t.get("value") + "=" + t.get("mentions")).toList(),
                        rolled.stream().map(t -> t.get("value") + "=" + t.get("mentions")).toList(), what);
                assertTrue(rolled.stream().noneMatch(t -> t.containsKey("authors")), rolled.toString());
                compared += rolled.size();
                assertTrue(counted.stream().allMatch(t -> ((Number) t.get("authors")).longValue() >= 1));
            }
        }
        assertTrue(compared > 12, "values compared: " + compared);
    }

    /** Up to three of six values with this prefix. */
    private static List<String> some(Random random, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            String v = prefix + random.nextInt(6);
            if (!values.contains(v)) {
                values.add(v);
            }
        }
        return values;
    }

    private static String pick(Random random, List<String> values) {
        String v = values.get(random.nextInt(values.size()));
        return v.isEmpty() ? null : v;
    }

    private static MentionThreaded state(String p, int n, long version, Instant at, String lang, String query,
            boolean deleted, String kind, List<String> hashtags, List<String> links) {
        String platform = PLATFORMS.get(n % PLATFORMS.size());
        String id = platform + ":" + p + "-" + n;
        MentionThreaded.Mention m = new MentionThreaded.Mention(id, platform, kind, null, at,
                new MentionThreaded.Author(platform + ":author-" + n, "author" + n, null, false), "text " + n, lang,
                null, null, null, List.of(), new MentionThreaded.Source("test", query));
        return new MentionThreaded(id, deleted, "edit".equals(kind), lang, false, hashtags, links, List.of(), at,
                version, m);
    }

    /** The rows of a query over [T0, T0 + 4 days) (or the given window), each but its last column as a key. */
    private Map<String, Long> rows(String sql, Instant... window) throws SQLException {
        Instant from = window.length > 0 ? window[0] : T0;
        Instant to = window.length > 0 ? window[1] : T0.plus(Duration.ofDays(4));
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> key = new ArrayList<>();
                    for (int i = 1; i < columns; i++) {
                        Object v = rs.getObject(i);
                        key.add(v instanceof java.time.OffsetDateTime t ? t.toInstant().toString()
                                : v instanceof Timestamp t ? t.toInstant().toString() : String.valueOf(v));
                    }
                    rows.put(String.join(" ", key), rs.getLong(columns));
                }
            }
        }
        return rows;
    }
}
