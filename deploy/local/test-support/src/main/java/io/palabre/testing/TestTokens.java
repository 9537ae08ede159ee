package io.palabre.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import io.palabre.support.security.AccessToken;
import io.palabre.support.security.Role;
import io.palabre.support.security.Secrets;

/**
 * API tokens for tests, published on the real broker's topic {@code access-tokens} as dashboard-service publishes the
 * tokens it makes: one per role, one revoked and one expired. The services under test check them with their real
 * code; nothing in the security layer is replaced.
 */
public final class TestTokens {

    public static final String TOPIC = "access-tokens";

    public static final String ADMIN = token("00000000000000a1");
    public static final String OPERATOR = token("00000000000000a2");
    public static final String ANALYST = token("00000000000000a3");
    public static final String REVOKED = token("00000000000000a4");
    public static final String EXPIRED = token("00000000000000a5");
    /** Well formed, but never published. */
    public static final String UNKNOWN = token("00000000000000a6");

    private static final java.util.Set<String> PUBLISHED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private TestTokens() {
    }

    private static String token(String id) {
        // A fixed secret per id, so every test JVM presents the same tokens: 43 URL-safe base64 characters.
        String secret = ("test-secret-" + id + "-").repeat(3).substring(0, 43).replace(' ', '-');
        return AccessToken.PREFIX + id + "_" + secret;
    }

    /** Publishes the test tokens once per broker and JVM (a later state of the same id wins). */
    public static synchronized void publish(String bootstrapServers) {
        if (PUBLISHED.contains(bootstrapServers)) {
            return;
        }
        createTopic(bootstrapServers);
        Instant now = Instant.now();
        long version = now.toEpochMilli();
        List<String[]> records = new ArrayList<>();
        records.add(state(ADMIN, "test-admin", Role.ADMIN, now.plus(Duration.ofDays(1)), null, version));
        records.add(state(OPERATOR, "test-operator", Role.OPERATOR, now.plus(Duration.ofDays(1)), null, version));
        records.add(state(ANALYST, "test-analyst", Role.ANALYST, now.plus(Duration.ofDays(1)), null, version));
        records.add(state(REVOKED, "test-analyst", Role.ADMIN, now.plus(Duration.ofDays(1)), now.minusSeconds(60),
                version));
        records.add(state(EXPIRED, "test-analyst", Role.ADMIN, now.minusSeconds(60), null, version));
        TopicRecords.send(bootstrapServers, TOPIC, records);
        PUBLISHED.add(bootstrapServers);
    }

    private static String[] state(String text, String user, Role role, Instant expires, Instant revoked,
            long version) {
        AccessToken.Presented p = AccessToken.parse(text).orElseThrow();
        AccessToken state = new AccessToken(p.id(), user, "test token", role, Secrets.hash(p.secret()),
                Instant.now(), expires, revoked, version);
        return new String[] { p.id(), state.toJson() };
    }

    private static void createTopic(String bootstrapServers) {
        NewTopic compacted = new NewTopic(TOPIC, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(compacted)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create " + TOPIC, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create " + TOPIC, e);
        }
    }
}
