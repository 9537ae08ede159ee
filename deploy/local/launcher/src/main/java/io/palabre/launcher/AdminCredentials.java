package io.palabre.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The first admin of a Palabre instance: drawn at random by {@code ./palabre up} on the first start, handed to
 * dashboard-service in its environment (never on a command line, where other users could read it), and kept in
 * {@code .palabre/admin-credentials}, readable by its owner only. Its API token has the form
 * {@code plb_<16 hex>_<43 base64url>}.
 */
public record AdminCredentials(String username, String password, String token) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new admin with a random password and token. */
    public static AdminCredentials draw() {
        return new AdminCredentials("admin", random(18), "plb_" + HexFormat.of().formatHex(bytes(8)) + "_"
                + random(32));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String random(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n));
    }

    /** The environment that makes dashboard-service create this admin when it has no user yet. */
    public Map<String, String> environment() {
        return Map.of("PALABRE_ACCESS_BOOTSTRAP_ADMIN_USER", username,
                "PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD", password,
                "PALABRE_ACCESS_BOOTSTRAP_ADMIN_TOKEN", token);
    }

    /** The request, with the admin's token. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token);
    }

    /** Reads credentials written by {@link #write}; empty if the file is missing or incomplete. */
    public static Optional<AdminCredentials> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String user = p.getProperty("username");
        String password = p.getProperty("password");
        String token = p.getProperty("token");
        return user == null || password == null || token == null ? Optional.empty()
                : Optional.of(new AdminCredentials(user, password, token));
    }

    /** Writes the credentials to a file only its owner can read (0600 where the file system has permissions). */
    public void write(Path file) {
        writeOwnerOnly(file, """
                # Palabre's first admin, made on the first start. Log in to the web UI with the user name and
                # password; scripts send the token: Authorization: Bearer <token>. Change the password and make
                # other users (./palabre user --help), then keep or delete this file.
                username=%s
                password=%s
                token=%s
                """.formatted(username, password, token));
    }

    /** Writes a new file that only its owner can read (0600 where the file system has permissions). */
    static void writeOwnerOnly(Path file, String text) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            try {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "AdminCredentials[username=" + username + "]";
    }
}
