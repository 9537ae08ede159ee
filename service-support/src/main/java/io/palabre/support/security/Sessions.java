package io.palabre.support.security;

import java.util.Optional;

/**
 * The web UI's sessions, in the one service that serves the UI (dashboard-service); the others have none, and ignore
 * the cookie.
 */
public interface Sessions {

    /** The name of the session cookie. */
    String COOKIE = "palabre_session";

    /** A live session: who it is and the token that must come with each of its writes. */
    record Live(String user, Role role, String csrfToken) {
    }

    /** The live session with this id, or empty if it is unknown, expired or ended. Blocking. */
    Optional<Live> find(String sessionId);
}
