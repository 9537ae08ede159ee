package io.palabre.testing;

import java.util.HashMap;
import java.util.Map;

import io.palabre.launcher.LocalRuntimeProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test the real Kafka broker and a fresh, empty PostgreSQL database of the shared local runtime.
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
        return config;
    }

    @Override
    public void stop() {
        if (jdbcUrl != null) {
            LocalRuntimeProcess.shared().dropDatabase(jdbcUrl);
        }
    }
}
