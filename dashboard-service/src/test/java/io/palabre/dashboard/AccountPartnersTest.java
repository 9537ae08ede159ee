package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.domain.RelationshipUpdated;
import io.palabre.dashboard.service.ReadModelService;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each account's partners and their weights, kept as relationships change, equal the sum of the stored relationships
 * both ways after random updates, late older versions and relationships that end; ego networks read them. Real
 * PostgreSQL, the read model's own transaction.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class AccountPartnersTest {

    private static final List<String> TYPES = List.of("reply", "mention", "quote", "repost");
    private static final Instant T0 = Instant.parse("2044-01-01T00:00:00Z");

    @Inject
    ReadModelService readModel;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void partnersEqualTheStoredRelationshipsWhateverOrderTheyCameIn() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(p.hashCode());
        Map<String, Long> versions = new HashMap<>();
        int stale = 0;
        int ended = 0;
        for (int step = 0; step < 60; step++) {
            ReadModelService.Results results = ReadModelService.Results.empty();
            for (int i = random.nextInt(12); i >= 0; i--) {
                String source = "x:" + p + "-" + random.nextInt(7);
                String target = "x:" + p + "-" + random.nextInt(7);
                String type = TYPES.get(random.nextInt(TYPES.size()));
                String key = type + source + target;
                long version = versions.merge(key, 1L, Long::sum);
                if (version > 1 && random.nextInt(4) == 0) {
                    version -= 1; // an older state, late
                    stale++;
                }
                int weight = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(9);
                ended += weight == 0 ? 1 : 0;
                results.add(new RelationshipUpdated(source, target, type, weight, weight == 0 ? null : T0,
                        weight == 0 ? null : T0, version));
            }
            readModel.apply(results);
        }
        assertTrue(stale > 5 && ended > 5, "late versions " + stale + ", ended " + ended);

        Map<String, Long> kept = rows("select account_id, partner_id, weight from account_partner where account_id "
                + "like ? and weight <> 0", "x:" + p + "-%");
        Map<String, Long> summed = rows("select a, b, sum(weight) from (select source_id as a, target_id as b, weight "
                + "from relationship where weight > 0 and source_id <> target_id union all select target_id, "
                + "source_id, weight from relationship where weight > 0 and source_id <> target_id) r where a like ? "
                + "group by a, b", "x:" + p + "-%");
        assertTrue(summed.size() > 20, "pairs: " + summed.size());
        assertEquals(summed, kept);

        // The ego network at depth 1 holds the account and its heaviest partners, in the order of those weights.
        String ego = "x:" + p + "-0";
        List<String> heaviest = new ArrayList<>();
        summed.entrySet().stream().filter(e -> e.getKey().startsWith(ego + " "))
                .sorted(Map.Entry.<String, Long> comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(3).forEach(e -> heaviest.add(e.getKey().substring(ego.length() + 1)));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into account (id, platform, handle) values (?, 'x', ?)")) {
            ps.setString(1, ego);
            ps.setString(2, p + "-0");
            ps.executeUpdate(); // an account the dashboard knows, as its posts or metrics would make it
        }
        List<String> nodes = given().queryParam("depth", 1).queryParam("perNode", 3)
                .get("/api/accounts/{id}/network", ego).then().statusCode(200).extract().jsonPath()
                .getList("nodes.id");
        assertTrue(nodes.containsAll(heaviest), nodes + " holds " + heaviest);
    }

    private Map<String, Long> rows(String sql, String like) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + " " + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return rows;
    }
}
