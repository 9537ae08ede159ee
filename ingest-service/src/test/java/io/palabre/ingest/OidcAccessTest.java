package io.palabre.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.palabre.testing.LocalIdentityProvider;
import io.palabre.testing.LocalIdentityProviderResource;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The OIDC mode of ingest-service: bearer JWTs of a real token issuer on loopback (RS256, published keys, discovery)
 * verified by quarkus-oidc, their roles mapped to Palabre's; Palabre's own tokens keep working alongside.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(LocalIdentityProviderResource.class)
class OidcAccessTest {

    LocalIdentityProvider provider;

    @Test
    void theProvidersTokensOpenWhatTheirRolesAllow() {
        String operator = provider.accessToken("olga", List.of("operator", "offline_access"), Duration.ofMinutes(5));
        given().auth().oauth2(operator).get("/api/queries").then().statusCode(200);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("""
                {"name":"oidc-made","terms":"acme","platforms":["mastodon"]}""").post("/api/queries").then()
                .statusCode(anyOf201or409());
        String admin = provider.accessToken("ada", List.of("admin"), Duration.ofMinutes(5));
        given().auth().oauth2(admin).get("/api/imports").then().statusCode(200);
        String analyst = provider.accessToken("anna", List.of("analyst"), Duration.ofMinutes(5));
        given().auth().oauth2(analyst).get("/api/queries").then().statusCode(403)
                .body("detail", containsString("anna (analyst)"));
        String nobody = provider.accessToken("nils", List.of("offline_access"), Duration.ofMinutes(5));
        given().auth().oauth2(nobody).get("/api/queries").then().statusCode(403);
    }

    private static org.hamcrest.Matcher<Integer> anyOf201or409() {
        return org.hamcrest.Matchers.anyOf(equalTo(201), equalTo(409));
    }

    @Test
    void expiredForgedAndMalformedTokensAreRefused() {
        String expired = provider.accessToken("olga", List.of("operator"), Duration.ofMinutes(-10));
        given().auth().oauth2(expired).get("/api/queries").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(provider.forgedToken("olga", List.of("admin"))).get("/api/queries").then()
                .statusCode(401);
        given().auth().oauth2("not.a.jwt").get("/api/queries").then().statusCode(401);
        given().auth().none().get("/api/queries").then().statusCode(401);
    }

    @Test
    void palabreTokensWorkAlongside() {
        given().auth().oauth2(TestTokens.OPERATOR).get("/api/queries").then().statusCode(200);
        given().auth().oauth2(TestTokens.REVOKED).get("/api/queries").then().statusCode(401)
                .body("detail", containsString("revoked"));
    }
}
