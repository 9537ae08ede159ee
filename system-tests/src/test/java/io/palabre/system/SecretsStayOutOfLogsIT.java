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

/**
 * Every log this test run wrote (ingest-service's tests, which give the connectors platform credentials, and the
 * packaged services of the system tests before this one, by name, ConnectorRestartIT's ingest-service among them with
 * the same credentials) is searched for those credentials: none may be printed. The credentials are the distinctive
 * values of ingest-service's FakePlatformResource.
 */
class SecretsStayOutOfLogsIT {

    private static final List<String> SECRETS = List.of("fake-app-password-7d1c90", "fake-client-secret-7d1c90",
            "fake-bearer-token-7d1c90", "fake-mastodon-token-7d1c90");

    @Test
    void noLogOfTheRunPrintsAPlatformCredential() throws IOException {
        Path project = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath().normalize();
        List<Path> logs = new ArrayList<>();
        for (Path dir : List.of(project.resolve("ingest-service/target"), project.resolve("system-tests/target"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith("-output.txt"))
                            .filter(Files::isRegularFile).forEach(logs::add);
                }
            }
        }
        Path ingestTestLog = project.resolve("ingest-service/target/quarkus-test.log");
        assertTrue(logs.contains(ingestTestLog), "ingest-service's test log exists: " + ingestTestLog);
        assertTrue(Files.size(ingestTestLog) > 0, "the tests that hold the credentials did log");
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertTrue(!text.contains(secret), log + " prints the credential " + secret);
            }
        }
    }
}
