package io.palabre.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.palabre.testing.TestTokens;

/**
 * Every log this test run wrote (the services' tests, which give the connectors platform credentials, call with API
 * tokens, log users in and talk to an identity provider, and the packaged services of the system tests before this
 * one, ConnectorRestartIT's ingest-service among them with the same platform credentials) is searched for those
 * credentials: none may be printed. They are the distinctive values of ingest-service's FakePlatformResource, the test
 * API tokens' secrets, the OIDC client secret and the dashboard tests' bootstrap admin.
 */
class SecretsStayOutOfLogsIT {

    private static final List<String> SECRETS = List.of("fake-app-password-7d1c90", "fake-client-secret-7d1c90",
            "fake-bearer-token-7d1c90", "fake-mastodon-token-7d1c90", "fake-oidc-client-secret-7d1c90",
            secretOf(TestTokens.ADMIN), secretOf(TestTokens.OPERATOR), secretOf(TestTokens.ANALYST),
            "test-bootstrap-token-of-the-dashboard-tests", "test-admin-password");

    /** The secret part of a token {@code plb_<id>_<secret>}: what must never be printed. */
    private static String secretOf(String token) {
        return token.substring("plb_".length() + 17);
    }

    @Test
    void noLogOfTheRunPrintsACredential() throws IOException {
        Path project = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath().normalize();
        List<Path> logs = new ArrayList<>();
        for (Path dir : List.of(project.resolve("ingest-service/target"), project.resolve("analysis-service/target"),
                project.resolve("dashboard-service/target"), project.resolve("system-tests/target"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith("-output.txt"))
                            .filter(Files::isRegularFile).forEach(logs::add);
                }
            }
        }
        for (String service : List.of("ingest-service", "dashboard-service")) {
            Path testLog = project.resolve(service + "/target/quarkus-test.log");
            assertTrue(logs.contains(testLog), service + "'s test log exists: " + testLog);
            assertTrue(Files.size(testLog) > 0, "the tests that hold the credentials did log");
        }
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertTrue(!text.contains(secret), log + " prints the credential " + secret);
            }
        }
    }
}
