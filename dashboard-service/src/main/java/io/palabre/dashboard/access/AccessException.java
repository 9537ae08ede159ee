package io.palabre.dashboard.access;

/**
 * A request about users, tokens or sessions that cannot be done, with the HTTP status that says why.
 */
public final class AccessException extends RuntimeException {

    private final int status;
    private final Long retryAfterSeconds;

    private AccessException(int status, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static AccessException invalid(String message) {
        return new AccessException(400, message, null);
    }

    public static AccessException wrongCredentials() {
        return new AccessException(401, "Wrong user name or password", null);
    }

    public static AccessException forbidden(String message) {
        return new AccessException(403, message, null);
    }

    public static AccessException notFound(String message) {
        return new AccessException(404, message, null);
    }

    public static AccessException conflict(String message) {
        return new AccessException(409, message, null);
    }

    public static AccessException tooManyAttempts(long retryAfterSeconds) {
        return new AccessException(429, "Too many failed logins; try again in " + retryAfterSeconds + " s",
                retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
