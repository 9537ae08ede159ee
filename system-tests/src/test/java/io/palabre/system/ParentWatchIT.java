package io.palabre.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.palabre.launcher.ServiceProcess;

/**
 * The parent-watch agent that the launcher gives every service, in a real JVM watching a real process that is
 * killed with SIGKILL: the JVM ends through its normal shutdown. Nothing is stubbed.
 */
class ParentWatchIT {

    @Test
    void aServiceJvmEndsWhenItsLauncherIsKilled() throws Exception {
        Path agent = ServiceProcess.parentWatchAgent().orElseThrow(
                () -> new AssertionError("the parent-watch agent is not on the classpath as a jar"));
        Path program = Files.createTempDirectory("palabre-watch-").resolve("Service.java");
        Files.writeString(program, """
                public class Service {
                    public static void main(String[] args) throws Exception {
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shut down cleanly")));
                        System.out.println("running");
                        Thread.sleep(600_000);
                    }
                }
                """);
        Process launcher = new ProcessBuilder("sleep", "600").start();
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent + "=" + launcher.pid(), program.toString())
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(
                    service.getInputStream()));
            assertEquals("running", out.readLine());
            assertTrue(service.isAlive(), "the service runs while its launcher does");

            launcher.destroyForcibly().waitFor();
            await().atMost(Duration.ofSeconds(30)).until(() -> !service.isAlive());
            assertEquals(0, service.exitValue());
            String rest = new String(service.getInputStream().readAllBytes());
            assertTrue(rest.contains("shut down cleanly"), rest);
        } finally {
            service.destroyForcibly();
            launcher.destroyForcibly();
        }
    }
}
