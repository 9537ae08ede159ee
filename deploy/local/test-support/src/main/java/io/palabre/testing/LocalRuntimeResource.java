package io.palabre.testing;

import java.util.HashMap;
import java.util.Map;

import io.palabre.launcher.LocalRuntimeProcess;
import io.restassured.RestAssured;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test the real Kafka broker and a fresh, empty PostgreSQL database of the shared local runtime, with
 * the {@link TestTokens} published; REST Assured sends the admin's token unless a test says otherwise (
 * {@code given().auth().none()}, or another token).
 */
public class LocalRuntimeResource implements QuarkusTestResourceLifecycleManager {

    private String jdbcUrl;

    @Override
    public Map<String, String> start() {
        LocalRuntimeProcess runtime = LocalRuntimeProcess.shared();
        jdbcUrl = runtime.createDatabase("test");
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", runtime.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        config.put("quarkus.datasource.username", runtime.postgresUser());
        config.put("quarkus.datasource.password", runtime.postgresPassword());
        TestTokens.publish(runtime.bootstrapServers());
        RestAssured.authentication = RestAssured.oauth2(TestTokens.ADMIN);
        return config;
    }

    @Override
    public void stop() {
        if (jdbcUrl != null) {
            LocalRuntimeProcess.shared().dropDatabase(jdbcUrl);
        }
    }
}
