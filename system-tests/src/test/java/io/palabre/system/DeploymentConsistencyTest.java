package io.palabre.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * docker-compose.yml and the Kubernetes infrastructure against each service's application.properties: the
 * variables a service reads are the ones the deployments set, and every database it uses is created. Plain JUnit
 * on the files; nothing runs.
 */
class DeploymentConsistencyTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+):([^}]*)}");
    private static final Path ROOT = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath();

    @ParameterizedTest
    @ValueSource(strings = { "ingest-service", "analysis-service", "dashboard-service" })
    void composeSetsEveryVariableTheServiceReadsAndPublishesItsPort(String service) throws IOException {
        Properties props = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            props.load(in);
        }
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        JsonNode definition = compose.get("services").get(service);
        JsonNode environment = definition.get("environment");
        String database = null;
        for (String key : List.of("kafka.bootstrap.servers", "quarkus.datasource.jdbc.url", "quarkus.http.port",
                "quarkus.datasource.username", "quarkus.datasource.password")) {
            Matcher m = VARIABLE.matcher(props.getProperty(key));
            assertTrue(m.find(), key + " of " + service + " is not overridable by an environment variable");
            assertTrue(environment.has(m.group(1)), "docker-compose.yml does not set " + m.group(1) + " for " + service);
            if (key.equals("quarkus.http.port")) {
                assertEquals(m.group(2) + ":" + m.group(2), definition.get("ports").get(0).asText());
                assertEquals(m.group(2), environment.get(m.group(1)).asText());
            }
            if (key.equals("quarkus.datasource.jdbc.url")) {
                database = environment.get(m.group(1)).asText().replaceAll(".*/", "");
                assertEquals(m.group(2).replaceAll(".*/", ""), database, "same database name locally and in compose");
            }
        }
        assertTrue(Files.readString(ROOT.resolve("deploy/docker/init-databases.sql")).contains("create database "
                + database + ";"));
        assertTrue(Files.readString(ROOT.resolve("deploy/kubernetes/infrastructure.yaml")).contains("create database "
                + database + ";"));
        assertTrue(props.getProperty("quarkus.kubernetes.env.vars.quarkus-datasource-jdbc-url").endsWith("/" + database));
    }

    @org.junit.jupiter.api.Test
    void composeKeepsKafkasTopicsOnItsVolume() throws IOException {
        JsonNode kafka = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile())
                .get("services").get("kafka");
        String logDirs = kafka.get("environment").path("KAFKA_LOG_DIRS").asText(null);
        assertTrue(logDirs != null, "KAFKA_LOG_DIRS is not set: the broker writes to the container's /tmp");
        boolean mounted = false;
        for (JsonNode volume : kafka.get("volumes")) {
            mounted |= volume.asText().endsWith(":" + logDirs);
        }
        assertTrue(mounted, "the broker's log directory " + logDirs + " is not a mounted volume");
    }
}
