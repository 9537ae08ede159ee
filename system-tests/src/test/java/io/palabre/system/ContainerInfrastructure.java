package io.palabre.system;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.LocalRuntimeProcess.ExternalPostgres;
import io.palabre.launcher.PalabreStack;

/**
 * Kafka (KRaft, the apache/kafka image) and PostgreSQL in containers, instead of the bundled local runtime, for the
 * system tests run with {@code ./mvnw verify -Pcontainers} (which sets {@code palabre.infrastructure=containers}).
 * Each stack gets new containers, so that no test sees another's data; the previous ones are stopped then.
 *
 * <p>Without a Docker engine, a test that asks for them is skipped with the reason, never failed: the profile needs
 * Docker, the default build does not.
 */
final class ContainerInfrastructure {

    static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    static final String POSTGRES_IMAGE = "postgres:16";
    static final String NO_DOCKER = "-Pcontainers runs the system tests on Kafka and PostgreSQL in containers, and no "
            + "Docker engine answers here (DOCKER_HOST, /var/run/docker.sock): skipped. Without -Pcontainers the same "
            + "tests run on the bundled local runtime.";

    private static KafkaContainer kafka;
    private static PostgreSQLContainer postgres;
    private static boolean stopAtExit;
    private static boolean said;

    private ContainerInfrastructure() {
    }

    /** Whether this run asks for containers. */
    static boolean requested() {
        return "containers".equals(System.getProperty("palabre.infrastructure"));
    }

    /** Skips the calling test when it runs with containers: it needs the local runtime's own processes. */
    static void assumeLocalRuntime(String why) {
        Assumptions.assumeFalse(requested(),
                "-Pcontainers: this test " + why + ", which only the local runtime allows");
    }

    /** The settings, on new containers when this run asks for them. */
    static PalabreStack.Settings apply(PalabreStack.Settings settings) {
        if (!requested()) {
            return settings;
        }
        start();
        return settings.elsewhere(kafka.getBootstrapServers(), postgres());
    }

    /** New containers as one runtime, the databases of the three services made, when this run asks for them. */
    static LocalRuntimeProcess runtime() {
        start();
        return LocalRuntimeProcess.external(kafka.getBootstrapServers(), postgres(),
                PalabreStack.SERVICES.stream().map(PalabreStack::databaseOf).toList());
    }

    private static ExternalPostgres postgres() {
        String url = postgres.getJdbcUrl();
        return new ExternalPostgres(url.substring(0, url.lastIndexOf('/') + 1), postgres.getUsername(),
                postgres.getPassword());
    }

    private static synchronized void start() {
        if (!dockerAnswers()) {
            if (!said) {
                System.out.println("[palabre] " + NO_DOCKER);
                said = true;
            }
            Assumptions.abort(NO_DOCKER);
        }
        stop();
        kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withEnv("KAFKA_NUM_PARTITIONS", "3")
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", "4194304");
        postgres = new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE));
        for (var container : List.of(kafka, postgres)) {
            container.start();
        }
        if (!stopAtExit) {
            Runtime.getRuntime().addShutdownHook(new Thread(ContainerInfrastructure::stop, "palabre-containers-stop"));
            stopAtExit = true;
        }
    }

    private static synchronized void stop() {
        if (kafka != null) {
            kafka.stop();
            postgres.stop();
            kafka = null;
            postgres = null;
        }
    }

    static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
