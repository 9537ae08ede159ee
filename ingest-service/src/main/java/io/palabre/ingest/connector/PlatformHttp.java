package io.palabre.ingest.connector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * HTTP for connectors: every platform error becomes a {@link PlatformException}, and a 429 (or a 503 with
 * {@code Retry-After}, or an exhausted rate-limit budget) a {@link RateLimitedException} that says until when to
 * wait, read from {@code Retry-After}, {@code X-RateLimit-Reset}, {@code RateLimit-Reset} or {@code x-rate-limit-reset}.
 */
@ApplicationScoped
public class PlatformHttp {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    /** Redirects are followed here, each target checked, at most this many. */
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final int maxBodyBytes;
    private final OutboundGuard guard;

    public PlatformHttp(ConnectorsConfig config, OutboundGuard guard) {
        this.maxBodyBytes = config.limits().maxBodyBytes();
        this.guard = guard;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A successful response, with when the platform allows the next call. */
    public record Response(int status, String body, HttpHeaders headers, Instant nextAllowedAt) {

        /** The body as JSON; a body that is not JSON is a platform error. */
        public com.fasterxml.jackson.databind.JsonNode json() throws PlatformException {
            try {
                return JSON.readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new PlatformException("the platform answered something that is not JSON: "
                        + e.getOriginalMessage());
            }
        }
    }

    public Response get(String url, Map<String, String> headers) throws PlatformException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), url, headers);
    }

    /** A form POST, as OAuth token endpoints take. */
    public Response postForm(String url, Map<String, String> headers, String form) throws PlatformException {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded"), url, headers);
    }

    /** A JSON POST, as XRPC procedures take. */
    public Response postJson(String url, String body) throws PlatformException {
        return postJson(url, body, Map.of());
    }

    public Response postJson(String url, String body, Map<String, String> headers) throws PlatformException {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), url, headers);
    }

    private Response send(HttpRequest.Builder request, String url, Map<String, String> headers)
            throws PlatformException {
        request.timeout(Duration.ofSeconds(30));
        if (!headers.containsKey("User-Agent")) {
            request.header("User-Agent", "palabre/0.1 (+https://palabre.io)");
        }
        headers.forEach(request::header);
        HttpResponse<java.io.InputStream> response;
        String body;
        try {
            URI target = URI.create(url);
            HttpRequest built = request.uri(target).build();
            for (int redirects = 0;; redirects++) {
                guard.check(target);
                response = client.send(built, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                java.util.Optional<String> location = response.headers().firstValue("Location");
                if (status < 300 || status >= 400 || status == 304 || location.isEmpty()) {
                    break;
                }
                response.body().close();
                if (redirects >= MAX_REDIRECTS || !built.method().equals("GET")) {
                    throw new PlatformException("GET " + url + ": more than " + MAX_REDIRECTS + " redirects, or a "
                            + "redirect of a " + built.method());
                }
                target = target.resolve(location.get());
                built = HttpRequest.newBuilder(built, (name, value) -> true).uri(target).build();
            }
            checkType(url, response);
            byte[] bytes;
            try (java.io.InputStream in = response.body()) {
                bytes = in.readNBytes(maxBodyBytes + 1);
            }
            if (bytes.length > maxBodyBytes) {
                throw new PlatformException("GET " + url + " answered more than " + maxBodyBytes
                        + " bytes (palabre.connectors.limits.max-body-bytes)");
            }
            body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new PlatformException("GET " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("GET " + url + " interrupted");
        }
        Instant now = Instant.now();
        int status = response.statusCode();
        HttpHeaders answered = response.headers();
        if (status == 429 || status == 503 && answered.firstValue("Retry-After").isPresent()) {
            Instant until = retryAfter(answered, now).or(() -> resetAt(answered, now)).orElse(now.plus(DEFAULT_WAIT));
            throw new RateLimitedException("GET " + url + " answered " + status + "; waiting until " + until, until);
        }
        if (status >= 400) {
            throw new PlatformException("GET " + url + " answered " + status + ": "
                    + body.substring(0, Math.min(300, body.length())));
        }
        Instant next = remaining(answered).filter(r -> r <= 0).flatMap(r -> resetAt(answered, now)).orElse(now);
        return new Response(status, body, answered, next);
    }

    /** A successful answer must be data (JSON, XML, text, an event stream): a page or a file is not what was asked. */
    private static void checkType(String url, HttpResponse<java.io.InputStream> response) throws PlatformException,
            IOException {
        if (response.statusCode() >= 400) {
            return;
        }
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
        if (!type.isEmpty() && !type.contains("json") && !type.contains("xml") && !type.startsWith("text/plain")
                && !type.startsWith("text/event-stream")) {
            response.body().close();
            throw new PlatformException("GET " + url + " answered " + type + ", not data");
        }
    }

    static Optional<Instant> retryAfter(HttpHeaders headers, Instant now) {
        return headers.firstValue("Retry-After").map(String::trim).map(v -> {
            if (v.matches("\\d+")) {
                return now.plusSeconds(Long.parseLong(v));
            }
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        });
    }

    static Optional<Long> remaining(HttpHeaders headers) {
        for (String name : new String[] { "X-RateLimit-Remaining", "RateLimit-Remaining", "x-rate-limit-remaining" }) {
            Optional<String> v = headers.firstValue(name);
            if (v.isPresent()) {
                try {
                    return Optional.of((long) Double.parseDouble(v.get().trim()));
                } catch (NumberFormatException ignored) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The reset time in any of the forms platforms use: an instant, epoch seconds, or seconds from now. */
    static Optional<Instant> resetAt(HttpHeaders headers, Instant now) {
        for (String name : new String[] { "X-RateLimit-Reset", "RateLimit-Reset", "x-rate-limit-reset" }) {
            Optional<String> v = headers.firstValue(name);
            if (v.isPresent()) {
                String value = v.get().trim();
                try {
                    if (value.contains("T")) {
                        return Optional.of(Instant.parse(value));
                    }
                    double number = Double.parseDouble(value);
                    return Optional.of(number > 1_000_000_000 ? Instant.ofEpochSecond((long) number)
                            : now.plusMillis((long) (number * 1000)));
                } catch (RuntimeException ignored) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A platform call that failed. */
    public static class PlatformException extends Exception {

        public PlatformException(String message) {
            super(message, null, false, false);
        }
    }

    /** The platform asks to wait. */
    public static final class RateLimitedException extends PlatformException {

        private final Instant until;

        public RateLimitedException(String message, Instant until) {
            super(message);
            this.until = until;
        }

        public Instant until() {
            return until;
        }
    }
}
