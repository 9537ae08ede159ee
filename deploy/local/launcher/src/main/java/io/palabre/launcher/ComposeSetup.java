package io.palabre.launcher;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The one-shot steps of docker-compose.yml, so that {@code docker compose up} alone brings Palabre up as
 * {@code ./palabre up} does:
 * <ul>
 * <li>{@code credentials DIR}: draws the first admin once (password and API token) into {@code DIR/admin-credentials},
 * the file {@code ./palabre up} writes, and {@code DIR/dashboard.properties}, the same as configuration that
 * dashboard-service reads ({@code QUARKUS_CONFIG_LOCATIONS}); kept as they are when they exist;</li>
 * <li>{@code sample INGEST_URL DIR}: once ingest-service accepts the admin's token, imports the bundled sample unless
 * it has made an import already (a restart imports nothing twice).</li>
 * </ul>
 */
public final class ComposeSetup {

    static final String CREDENTIALS = "admin-credentials";
    static final String DASHBOARD_PROPERTIES = "dashboard.properties";

    private ComposeSetup() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("credentials")) {
            credentials(Path.of(args[1]));
        } else if (args.length == 3 && args[0].equals("sample")) {
            sample(args[1], Path.of(args[2]));
        } else {
            System.err.println("usage: ComposeSetup credentials DIR | sample INGEST_URL DIR");
            System.exit(2);
        }
    }

    /** Draws the first admin into the directory, unless it is there already; returns it. */
    static AdminCredentials credentials(Path dir) {
        Path file = dir.resolve(CREDENTIALS);
        AdminCredentials admin = AdminCredentials.read(file).orElse(null);
        if (admin == null) {
            admin = AdminCredentials.draw();
            admin.write(file);
            PalabreCommand.say("First admin drawn: user " + admin.username() + ", password and token in " + file);
        }
        writeConfiguration(admin, dir.resolve(DASHBOARD_PROPERTIES));
        return admin;
    }

    /** The admin as dashboard-service's configuration: each variable of its environment as the property it names. */
    private static void writeConfiguration(AdminCredentials admin, Path file) {
        Properties p = new Properties();
        for (Map.Entry<String, String> e : admin.environment().entrySet()) {
            p.setProperty(property(e.getKey()), e.getValue());
        }
        StringWriter text = new StringWriter();
        try {
            p.store(text, "dashboard-service's first admin (made by docker compose's credentials step)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AdminCredentials.writeOwnerOnly(file, text.toString());
    }

    /** PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD is palabre.access.bootstrap.admin-password. */
    static String property(String variable) {
        String prefix = "PALABRE_ACCESS_BOOTSTRAP_";
        if (!variable.startsWith(prefix)) {
            throw new IllegalArgumentException(variable);
        }
        return "palabre.access.bootstrap." + variable.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-');
    }

    /** Imports the sample through ingest-service once it accepts the admin's token, unless it has imports. */
    static void sample(String ingestUrl, Path dir) throws Exception {
        AdminCredentials admin = AdminCredentials.read(dir.resolve(CREDENTIALS)).orElseThrow(
                () -> new IllegalStateException("no " + CREDENTIALS + " in " + dir
                        + ": the credentials step runs first"));
        // dashboard-service publishes the admin's token at its first start; ingest-service learns it from the broker.
        if (!PalabreStack.acceptsToken(ingestUrl, admin, System.nanoTime() + Duration.ofMinutes(5).toNanos())) {
            throw new IllegalStateException("ingest-service did not accept the admin's token within 5 minutes");
        }
        if (PalabreCommand.hasImports(ingestUrl, admin)) {
            PalabreCommand.say("ingest-service has imports already: no sample imported");
            return;
        }
        PalabreCommand.loadSample(ingestUrl, admin, 4000);
    }
}
