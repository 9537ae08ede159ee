package io.palabre.analysis;

import static io.palabre.analysis.Mentions.post;
import static io.palabre.analysis.Mentions.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A listening query names an organisation account while a batch of its posts is in flight in analysis-service (held
 * mid-transaction by a table lock the test takes in the real PostgreSQL): every conversation of that batch is one the
 * organisation took part in, whichever commits first.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class OrganisationBackfillTest {

    private static final Instant T0 = Instant.parse("2026-04-04T10:00:00Z");
    private static final int BATCH = 300;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void conversationsOfABatchInFlightWhenTheAccountIsNamedAreTheOrganisations() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String acme = "x:" + p + "acme";
        TopicRecords.send(bootstrap, "mentions", List.<String[]> of(record(post("x", p + "warm", p + "w", null, null,
                T0))));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from mention where id = ?",
                "x:" + p + "warm") == 1);

        try (Connection hold = dataSource.getConnection(); Statement s = hold.createStatement()) {
            hold.setAutoCommit(false);
            // Every batch writes accounts after it has read the organisation's accounts: it waits here, mid-way.
            s.execute("lock table account in share row exclusive mode");
            List<String[]> records = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                records.add(record(post("x", p + "-" + i, p + "acme", null, null, T0.plusSeconds(i))));
            }
            TopicRecords.send(bootstrap, "mentions", records);
            await().atMost(Duration.ofSeconds(30)).until(() -> waiting("insert into account%") > 0);

            TopicRecords.send(bootstrap, "queries", List.<String[]> of(new String[] { "q-" + p, "{\"id\":\"q-" + p
                    + "\",\"name\":\"Acme " + p + "\",\"organisationAccounts\":[\"" + acme + "\"]}" }));
            // The change is applied (or waits for the batch in flight) before the batch may go on.
            await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from organisation_account "
                    + "where account_id = ?", acme) == 1 || waitingForAdvisoryLock() > 0);
            hold.commit();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from mention where "
                + "author_id = ?", acme) == BATCH);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from organisation_account where "
                + "account_id = ?", acme) == 1);
        assertEquals(BATCH, count("select count(*) from conversation where organisation_took_part and id like ?",
                "x:" + p + "-%"));
    }

    private long waiting(String queryLike) throws SQLException {
        return count("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like ?",
                queryLike);
    }

    private long waitingForAdvisoryLock() throws SQLException {
        return count("select count(*) from pg_stat_activity where wait_event = 'advisory' and datname = "
                + "current_database() and pid <> pg_backend_pid()");
    }

    private long count(String sql, String... params) throws SQLException {
        return StoredRows.count(dataSource, sql, params);
    }

}
