package io.palabre.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker compose's credentials step: the first admin drawn once, as the files ./palabre up and the dashboard read. */
class ComposeSetupTest {

    private static final Path ACCESS_CONFIG = Path.of(System.getProperty("palabre.project.dir", "../../.."))
            .resolve("dashboard-service/src/main/java/io/palabre/dashboard/access/AccessConfig.java");

    @Test
    void theFirstAdminIsDrawnOnceAndGivenToTheDashboardAsItsConfiguration(@TempDir Path dir) throws IOException {
        AdminCredentials first = ComposeSetup.credentials(dir);
        AdminCredentials again = ComposeSetup.credentials(dir);
        assertEquals(first, again, "a second run keeps the admin");
        assertEquals(first, AdminCredentials.read(dir.resolve(ComposeSetup.CREDENTIALS)).orElseThrow());

        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(ComposeSetup.DASHBOARD_PROPERTIES))) {
            p.load(in);
        }
        assertEquals(first.password(), p.getProperty("palabre.access.bootstrap.admin-password"));
        assertEquals(first.token(), p.getProperty("palabre.access.bootstrap.admin-token"));
        assertEquals(first.username(), p.getProperty("palabre.access.bootstrap.admin-user"));
        assertEquals(3, p.size());
    }

    @Test
    void thePropertiesAreTheOnesDashboardServiceDeclares() throws IOException {
        String config = Files.readString(ACCESS_CONFIG);
        assertTrue(config.contains("@ConfigMapping(prefix = \"palabre.access\")"));
        assertTrue(config.contains("Bootstrap bootstrap();"), "the group palabre.access.bootstrap");
        for (String method : new String[] { "adminUser()", "adminPassword()", "adminToken()" }) {
            assertTrue(config.contains(method), method);
        }
        assertEquals("palabre.access.bootstrap.admin-password",
                ComposeSetup.property("PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD"));
    }
}
