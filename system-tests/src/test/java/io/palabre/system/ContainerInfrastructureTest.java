package io.palabre.system;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import io.palabre.launcher.PalabreStack;

/**
 * The containers profile's gate, plain JUnit: on a machine without Docker it skips, with its reason; without the
 * profile, nothing changes.
 */
class ContainerInfrastructureTest {

    private static final PalabreStack.Settings SETTINGS = new PalabreStack.Settings(Path.of("."), null,
            Path.of("target"), 0, 0, null, 0, 0, 0);

    @AfterEach
    void clear() {
        System.clearProperty("palabre.infrastructure");
    }

    @Test
    void withoutTheProfileTheLocalRuntimeIsKept() {
        assertSame(SETTINGS, ContainerInfrastructure.apply(SETTINGS));
    }

    @Test
    void withTheProfileAndNoDockerATestIsSkippedWithTheReason() {
        Assumptions.assumeFalse(ContainerInfrastructure.dockerAnswers(), "a Docker engine answers on this machine");
        System.setProperty("palabre.infrastructure", "containers");
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> ContainerInfrastructure.apply(SETTINGS));
        assertTrue(skipped.getMessage().contains("no Docker engine answers here"), skipped.getMessage());
        assertThrows(TestAbortedException.class, () -> ContainerInfrastructure.assumeLocalRuntime("kills a broker"));
    }
}
