package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.palabre.testing.LocalIdentityProvider;
import io.palabre.testing.LocalIdentityProviderResource;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * The dashboard's OIDC mode against a real token issuer on loopback: the web UI logs in through the provider's
 * authorization code flow (followed redirect by redirect, with the cookies a browser would keep), API callers send
 * its JWTs, and its roles decide what each may do.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(LocalIdentityProviderResource.class)
class OidcLoginTest {

    LocalIdentityProvider provider;

    @Test
    void theWebUiLogsInThroughTheIdentityProvider() {
        provider.logsIn(new LocalIdentityProvider.Person("irene", List.of("analyst")));
        CookieFilter browser = new CookieFilter();

        Response page = given().auth().none().filter(browser).redirects().follow(false).accept("text/html")
                .get("/conversations.html?x=1");
        assertEquals(302, page.statusCode(), page.asString());
        String authorize = page.header("Location");
        assertTrue(authorize.startsWith(provider.issuer() + "/authorize?"), authorize);

        Response provided = given().auth().none().redirects().follow(false).get(authorize);
        assertEquals(302, provided.statusCode());
        String back = provided.header("Location");
        assertTrue(back.contains("code=") && back.contains("state="), back);

        Response callback = given().auth().none().filter(browser).redirects().follow(false).accept("text/html")
                .get(back);
        assertEquals(302, callback.statusCode(), callback.asString());
        assertTrue(callback.header("Location").endsWith("/conversations.html?x=1"), callback.header("Location"));

        given().auth().none().filter(browser).accept("text/html").get("/").then().statusCode(200);
        given().auth().none().filter(browser).get("/api/session").then().statusCode(200)
                .body("username", equalTo("irene")).body("role", equalTo("analyst")).body("via", equalTo("oidc"))
                .body("csrfToken", nullValue());
        given().auth().none().filter(browser).get("/api/conversations?limit=1").then().statusCode(200);
        given().auth().none().filter(browser).get("/api/users").then().statusCode(403);
    }

    @Test
    void theProvidersBearerTokensOpenWhatTheirRolesAllow() {
        given().auth().oauth2(provider.accessToken("ada", List.of("admin"), Duration.ofMinutes(5)))
                .get("/api/users").then().statusCode(200);
        given().auth().oauth2(provider.accessToken("anna", List.of("analyst"), Duration.ofMinutes(5)))
                .get("/api/users").then().statusCode(403);
        given().auth().oauth2(provider.accessToken("anna", List.of("analyst"), Duration.ofMinutes(5)))
                .get("/api/mentions?limit=1").then().statusCode(200);
        given().auth().oauth2(provider.accessToken("ada", List.of("admin"), Duration.ofMinutes(-5)))
                .get("/api/mentions?limit=1").then().statusCode(401).contentType("application/problem+json");
        // An API call without credentials is refused, not sent to the provider's login page.
        given().auth().none().get("/api/mentions?limit=1").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
