package io.palabre.launcher;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ./palabre user …}: manages the built-in mode's users and API tokens through dashboard-service's admin API,
 * as the admin whose token is in {@code $PALABRE_TOKEN} or, failing that, {@code .palabre/admin-credentials}.
 * The dashboard is {@code $PALABRE_DASHBOARD_URL}, by default {@code http://127.0.0.1:$DASHBOARD_HTTP_PORT} (8080).
 */
public final class UserCommand {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USAGE = """
            usage: ./palabre user <command>
              list                                   every user and their role
              add <name> [--role R] [--password P]   make a user (role: analyst (default), operator, admin);
                                                     without --password, one is drawn and shown once
              role <name> <R>                        change a user's role (a lower role caps their tokens at once)
              password <name> [--password P]         set a new password (drawn and shown once without --password);
                                                     the user's sessions end
              delete <name>                          delete a user: their sessions end, their tokens are revoked
              token <name> [--name WHAT] [--role R] [--days N]
                                                     make an API token (shown once; default 90 days, at most 365)
              tokens [<name>]                        list tokens, everyone's or one user's
              revoke <token id>                      revoke a token; every service refuses it within seconds
            As the admin of $PALABRE_TOKEN, else of .palabre/admin-credentials; the dashboard at
            $PALABRE_DASHBOARD_URL, else http://127.0.0.1:${DASHBOARD_HTTP_PORT:-8080}.""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String dashboard;
    private final String token;

    private UserCommand(String dashboard, String token) {
        this.dashboard = dashboard;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Path projectDir = Path.of("").toAbsolutePath();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--project-dir")) {
                projectDir = Path.of(args[++i]).toAbsolutePath();
            } else {
                rest.add(args[i]);
            }
        }
        if (rest.isEmpty() || rest.get(0).equals("--help") || rest.get(0).equals("help")) {
            System.out.println(USAGE);
            System.exit(rest.isEmpty() ? 2 : 0);
        }
        String token = System.getenv("PALABRE_TOKEN");
        if (token == null || token.isBlank()) {
            token = AdminCredentials.read(projectDir.resolve(".palabre/admin-credentials"))
                    .map(AdminCredentials::token).orElse(null);
        }
        if (token == null) {
            fail("No admin token: set PALABRE_TOKEN, or run from the directory of ./palabre up (which keeps "
                    + ".palabre/admin-credentials)");
        }
        String url = System.getenv("PALABRE_DASHBOARD_URL");
        if (url == null || url.isBlank()) {
            String port = System.getenv("DASHBOARD_HTTP_PORT");
            url = "http://127.0.0.1:" + (port == null || port.isBlank() ? "8080" : port.trim());
        }
        new UserCommand(url.replaceAll("/+$", ""), token.trim()).run(rest);
    }

    private void run(List<String> a) throws Exception {
        String command = a.get(0);
        switch (command) {
            case "list" -> {
                for (JsonNode u : call("GET", "/api/users", null)) {
                    System.out.printf("%-24s %-9s made %s by %s%n", u.path("username").asText(),
                            u.path("role").asText(), u.path("createdAt").asText(), u.path("createdBy").asText());
                }
            }
            case "add" -> {
                ObjectNode body = MAPPER.createObjectNode();
                body.put("username", arg(a, 1, "a user name"));
                body.put("role", option(a, "--role", "analyst"));
                String password = option(a, "--password", null);
                if (password != null) {
                    body.put("password", password);
                }
                JsonNode made = call("POST", "/api/users", body);
                System.out.println("Made " + made.path("username").asText() + " (" + made.path("role").asText() + ")");
                if (made.hasNonNull("password")) {
                    System.out.println("Password (shown once): " + made.path("password").asText());
                }
            }
            case "role" -> {
                ObjectNode body = MAPPER.createObjectNode();
                body.put("role", arg(a, 2, "a role"));
                JsonNode changed = call("PATCH", "/api/users/" + enc(arg(a, 1, "a user name")), body);
                System.out.println(changed.path("username").asText() + " is now " + changed.path("role").asText());
            }
            case "password" -> {
                String name = arg(a, 1, "a user name");
                String password = option(a, "--password", null);
                boolean drawn = password == null;
                if (drawn) {
                    password = AdminCredentials.draw().password();
                }
                ObjectNode body = MAPPER.createObjectNode();
                body.put("password", password);
                call("PATCH", "/api/users/" + enc(name), body);
                System.out.println("New password of " + name + (drawn ? " (shown once): " + password : " set"));
            }
            case "delete" -> {
                String name = arg(a, 1, "a user name");
                call("DELETE", "/api/users/" + enc(name), null);
                System.out.println("Deleted " + name + "; their tokens are revoked");
            }
            case "token" -> {
                ObjectNode body = MAPPER.createObjectNode();
                body.put("user", arg(a, 1, "a user name"));
                body.put("name", option(a, "--name", "made with ./palabre user token"));
                String role = option(a, "--role", null);
                if (role != null) {
                    body.put("role", role);
                }
                String days = option(a, "--days", null);
                if (days != null) {
                    body.put("expiresInDays", Integer.parseInt(days));
                }
                JsonNode made = call("POST", "/api/tokens", body);
                JsonNode t = made.path("token");
                System.out.println("Token " + t.path("id").asText() + " of " + t.path("user").asText() + " ("
                        + t.path("role").asText() + "), expires " + t.path("expiresAt").asText());
                System.out.println("Send it as Authorization: Bearer <token>. Shown once:");
                System.out.println(made.path("secret").asText());
            }
            case "tokens" -> {
                String path = "/api/tokens" + (a.size() > 1 ? "?user=" + enc(a.get(1)) : "");
                for (JsonNode t : call("GET", path, null)) {
                    System.out.printf("%s  %-16s %-9s %-30s expires %s%s%n", t.path("id").asText(),
                            t.path("user").asText(), t.path("role").asText(), t.path("name").asText(),
                            t.path("expiresAt").asText(), t.hasNonNull("revokedAt")
                                    ? "  REVOKED " + t.path("revokedAt").asText() : "");
                }
            }
            case "revoke" -> {
                JsonNode t = call("DELETE", "/api/tokens/" + enc(arg(a, 1, "a token id")), null);
                System.out.println("Revoked " + t.path("id").asText() + " of " + t.path("user").asText()
                        + (t.path("propagated").asBoolean() ? "; every service refuses it now"
                                : "; the services will refuse it as soon as the broker has the change"));
            }
            default -> fail("Unknown command '" + command + "'\n" + USAGE);
        }
    }

    private JsonNode call(String method, String path, JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(dashboard + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            fail("dashboard-service cannot be reached at " + dashboard + " (" + e.getMessage() + "); is Palabre up?");
            return null;
        }
        if (response.statusCode() >= 400) {
            String detail = response.body();
            try {
                detail = MAPPER.readTree(response.body()).path("detail").asText(detail);
            } catch (Exception notJson) {
                // keep the body
            }
            fail(response.statusCode() + ": " + detail);
        }
        return response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
    }

    private static String arg(List<String> a, int i, String what) {
        if (a.size() <= i || a.get(i).startsWith("--")) {
            fail("'" + a.get(0) + "' needs " + what + "\n" + USAGE);
        }
        return a.get(i);
    }

    private static String option(List<String> a, String name, String fallback) {
        int i = a.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= a.size()) {
            fail(name + " needs a value");
        }
        return a.get(i + 1);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}
