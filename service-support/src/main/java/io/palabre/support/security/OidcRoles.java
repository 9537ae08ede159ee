package io.palabre.support.security;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Gives a caller that an identity provider vouched for (OIDC mode) the Palabre role its token's roles name: the
 * provider's role names for analyst, operator and admin are settings ({@code palabre.security.oidc.roles.*}), and the
 * highest one found counts, with the roles it holds. A caller with none of them keeps no Palabre role, so every
 * endpoint refuses it (403). Palabre's own tokens and sessions are left as they are.
 */
@ApplicationScoped
public class OidcRoles implements SecurityIdentityAugmentor {

    private final Map<String, Role> byProviderName;

    public OidcRoles(@ConfigProperty(name = "palabre.security.oidc.roles.analyst", defaultValue = "analyst") String analyst,
            @ConfigProperty(name = "palabre.security.oidc.roles.operator", defaultValue = "operator") String operator,
            @ConfigProperty(name = "palabre.security.oidc.roles.admin", defaultValue = "admin") String admin) {
        this.byProviderName = Map.of(analyst, Role.ANALYST, operator, Role.OPERATOR, admin, Role.ADMIN);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Identities.VIA) != null) {
            return Uni.createFrom().item(identity);
        }
        Optional<Role> role = identity.getRoles().stream().map(byProviderName::get).filter(r -> r != null)
                .max(Enum::compareTo);
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal()).addAttributes(identity.getAttributes())
                .addCredentials(identity.getCredentials()).addAttribute(Identities.VIA, "oidc");
        role.ifPresent(r -> builder.addRoles(r.held()));
        return Uni.createFrom().item(builder.build());
    }
}
