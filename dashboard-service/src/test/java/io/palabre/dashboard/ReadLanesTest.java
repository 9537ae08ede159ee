package io.palabre.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.service.LiveActivity;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Heavy questions jammed behind a table lock held in the real PostgreSQL: they are answered 503 with Retry-After
 * (no place left, or out of time), never 500, while a lookup by id is still answered at once; live subscribers are
 * capped. Test settings: two heavy places, a 3 s limit, three live subscribers.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ReadLanesTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LiveActivity live;

    @TestHTTPResource("/")
    URI base;

    @Test
    void heavyQuestionsWaitingOnTheDatabaseNeverTakeLookupsDown() throws Exception {
        String id = "x:" + UUID.randomUUID().toString().substring(0, 8);
        TopicRecords.send(bootstrap, "threaded-mentions", List.<String[]> of(ReadModelTest.mention(id, id, null,
                Instant.parse("2033-03-03T03:03:03Z"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("api/mentions/" + encode(id)).statusCode() == 200);

        List<CompletableFuture<HttpResponse<String>>> heavy = new ArrayList<>();
        try (Connection hold = dataSource.getConnection(); Statement s = hold.createStatement()) {
            hold.setAutoCommit(false);
            s.execute("lock table relationship in access exclusive mode");
            for (int i = 0; i < 12; i++) {
                heavy.add(HTTP.sendAsync(request("api/graph?limit=" + (10 + i)), HttpResponse.BodyHandlers.ofString()));
            }
            // While every heavy place waits on the lock, a lookup is answered at once.
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnLocks() >= 2);
            long started = System.nanoTime();
            HttpResponse<String> lookup = get("api/mentions/" + encode(id));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, lookup.statusCode(), lookup.body());
            assertTrue(millis < 1500, "a lookup took " + millis + " ms behind jammed heavy questions");
            for (CompletableFuture<HttpResponse<String>> f : heavy) {
                HttpResponse<String> r = f.get();
                assertEquals(503, r.statusCode(), r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
                assertTrue(r.headers().firstValue("Retry-After").isPresent());
            }
            hold.rollback();
        }
        long timedOut = heavy.stream().map(CompletableFuture::join)
                .filter(r -> r.body().contains("time limit")).count();
        long busy = heavy.stream().map(CompletableFuture::join).filter(r -> r.body().contains("taken")).count();
        assertEquals(2, timedOut, "the two placed questions ran out of time");
        assertEquals(10, busy, "the others found no place");
        assertEquals(200, get("api/graph").statusCode());
    }

    @Test
    void liveSubscribersAreCappedAndAPlaceIsFreedWhenTheClientLeaves() throws Exception {
        // Other tests may have left subscribers connected: fill what remains of the three places.
        int already = live.clients();
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = already; i < 3; i++) {
                HttpResponse<InputStream> r = HTTP.send(request("api/stream"), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode());
                open.add(r.body());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> live.clients() >= 3);
            HttpResponse<String> refused = get("api/stream");
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> live.clients() == already);
    }

    private long waitingOnLocks() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where "
                        + "wait_event_type = 'Lock' and datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + io.palabre.testing.TestTokens.ANALYST).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
