package io.palabre.dashboard.access;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Users, tokens and sessions of the built-in mode.
 */
@ConfigMapping(prefix = "palabre.access")
public interface AccessConfig {

    /** How long a web session lasts after login. */
    @WithDefault("12h")
    Duration sessionLifetime();

    /** A new API token's lifetime when its maker names none, in days. */
    @WithDefault("90")
    int tokenDays();

    /** The longest lifetime a token may be given, in days. */
    @WithDefault("365")
    int maxTokenDays();

    Login login();

    Bootstrap bootstrap();

    /** Failed logins: after this many within the window, more attempts are refused (429) until it passes. */
    interface Login {

        @WithDefault("5")
        int maxFailuresPerUser();

        @WithDefault("20")
        int maxFailuresPerAddress();

        @WithDefault("5m")
        Duration failureWindow();
    }

    /**
     * The first admin, made when there is no user at all: its password, and optionally an API token for it in the
     * form {@code plb_<id>_<secret>} ({@code ./palabre up} draws both and keeps them in .palabre/admin-credentials).
     */
    interface Bootstrap {

        @WithDefault("admin")
        String adminUser();

        Optional<String> adminPassword();

        Optional<String> adminToken();

        @WithDefault("30")
        int tokenDays();
    }
}
