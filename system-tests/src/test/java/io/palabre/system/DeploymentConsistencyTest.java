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

    /**
     * docker compose up alone: each service's image built here from the sources (never pulled), started once Kafka and
     * PostgreSQL answer and the first admin is drawn, healthy when its readiness check is; the sample imported once
     * all three are; the dashboard reading the admin the credentials step wrote.
     */
    @org.junit.jupiter.api.Test
    void composeBuildsStartsInOrderAndImportsTheSample() throws IOException {
        // SnakeYAML resolves the merge key (<<: *service) that compose uses; Jackson's YAML reader does not.
        Object loaded = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        JsonNode services = new ObjectMapper().valueToTree(loaded).get("services");
        for (String service : List.of("ingest-service", "analysis-service", "dashboard-service")) {
            JsonNode s = services.get(service);
            assertEquals("deploy/docker/Dockerfile", s.at("/build/dockerfile").asText(), service);
            assertEquals("service", s.at("/build/target").asText(), service);
            assertEquals(service, s.at("/build/args/SERVICE").asText(), service);
            assertEquals("build", s.path("pull_policy").asText(), service + " could be pulled from a public registry");
            assertEquals("service_healthy", s.at("/depends_on/kafka/condition").asText(), service);
            assertEquals("service_healthy", s.at("/depends_on/postgres/condition").asText(), service);
            assertEquals("service_completed_successfully", s.at("/depends_on/credentials/condition").asText(), service);
            String port = s.get("ports").get(0).asText().replaceAll(":.*", "");
            String check = s.at("/healthcheck/test").toString();
            assertTrue(check.contains("/dev/tcp/127.0.0.1/" + port) && check.contains("/q/health/ready"), check);
            assertTrue(Files.isDirectory(ROOT.resolve(service).resolve("src/main/resources")), service);
        }
        for (String step : List.of("credentials", "sample")) {
            assertEquals("tools", services.get(step).at("/build/target").asText(), step);
        }
        JsonNode sample = services.get("sample");
        for (String service : List.of("ingest-service", "analysis-service", "dashboard-service")) {
            assertEquals("service_healthy", sample.at("/depends_on/" + service + "/condition").asText(), service);
        }
        assertTrue(sample.get("command").toString().contains("http://ingest-service:"
                + services.at("/ingest-service/environment/INGEST_HTTP_PORT").asText()));
        // The dashboard reads the file the credentials step writes, on the volume both mount.
        JsonNode dashboard = services.get("dashboard-service");
        String file = dashboard.at("/environment/QUARKUS_CONFIG_LOCATIONS").asText();
        String dir = services.get("credentials").get("command").get(1).asText();
        assertEquals(dir + "/dashboard.properties", file);
        assertTrue(dashboard.get("volumes").toString().contains("credentials:" + dir + ":ro"));
        assertTrue(services.get("credentials").get("volumes").toString().contains("credentials:" + dir + "\""));
        assertTrue(Files.readString(ROOT.resolve("deploy/local/launcher/src/main/java/io/palabre/launcher/"
                + "ComposeSetup.java")).contains("DASHBOARD_PROPERTIES = \"dashboard.properties\""));
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
