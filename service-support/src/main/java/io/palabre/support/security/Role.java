package io.palabre.support.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The three roles, each holding the ones below it: an admin is also an operator and an analyst, an operator also an
 * analyst. Endpoints name the least role they need.
 */
public enum Role {

    /** Reads the dashboard's API and UI, exports, the stream. */
    ANALYST,
    /** Also imports, manages listening queries, reads source status. */
    OPERATOR,
    /** Also manages users and tokens, reads the audit log. */
    ADMIN;

    public static final String ANALYST_NAME = "analyst";
    public static final String OPERATOR_NAME = "operator";
    public static final String ADMIN_NAME = "admin";

    /** The role's name as endpoints and tokens spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and every role it holds, by name. */
    public Set<String> held() {
        Set<String> names = new LinkedHashSet<>();
        for (Role r : values()) {
            if (r.ordinal() <= ordinal()) {
                names.add(r.id());
            }
        }
        return names;
    }

    /** Whether this role holds {@code other}. */
    public boolean holds(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The lesser of two roles. */
    public static Role min(Role a, Role b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    public static Optional<Role> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.id().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The highest of the named roles; unknown names are ignored. */
    public static Optional<Role> highest(Collection<String> names) {
        return names.stream().map(Role::parse).flatMap(Optional::stream).max(Enum::compareTo);
    }
}
