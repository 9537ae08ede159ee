package io.palabre.support.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * What a caller presents, as the authentication mechanism hands it to the identity providers.
 */
public final class Credentials {

    private Credentials() {
    }

    /** An API token, {@code Authorization: Bearer plb_…}. */
    public static final class Token extends BaseAuthenticationRequest {

        private final AccessToken.Presented token;

        public Token(AccessToken.Presented token) {
            this.token = token;
        }

        public AccessToken.Presented token() {
            return token;
        }
    }

    /** The web UI's session cookie. */
    public static final class Session extends BaseAuthenticationRequest {

        private final String id;

        public Session(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }
}
