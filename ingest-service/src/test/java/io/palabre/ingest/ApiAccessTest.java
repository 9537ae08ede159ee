package io.palabre.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.palabre.testing.ApiOperations;
import io.palabre.testing.ApiOperations.Operation;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Who may call ingest-service: every operation of its OpenAPI document, called without credentials, with unusable
 * tokens and with each role's token, checked against the real token topic on the real broker.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ApiAccessTest {

    @Test
    void everyOperationRefusesCallersWithoutAUsableToken() {
        List<Operation> operations = ApiOperations.ofService(TestTokens.ADMIN);
        assertTrue(operations.size() >= 7, "operations read from the OpenAPI document: " + operations);
        assertEquals(List.of(), ApiOperations.notRefusingUnusableCredentials(operations));
    }

    @Test
    void everyOperationIsAnOperatorsAndNoneAnAnalysts() {
        List<Operation> operations = ApiOperations.ofService(TestTokens.ADMIN);
        assertEquals(operations, ApiOperations.forbiddenTo(operations, TestTokens.ANALYST));
        assertEquals(List.of(), ApiOperations.forbiddenTo(operations, TestTokens.OPERATOR));
    }

    @Test
    void refusalsSayWhy() {
        given().auth().oauth2(TestTokens.REVOKED).get("/api/queries").then().statusCode(401)
                .body("detail", containsString("revoked"));
        given().auth().oauth2(TestTokens.EXPIRED).get("/api/queries").then().statusCode(401)
                .body("detail", containsString("expired"));
        given().auth().none().get("/api/queries").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"palabre\""))
                .body("detail", containsString("Authorization: Bearer"));
        given().auth().preemptive().basic("admin", "admin").get("/api/queries").then().statusCode(401)
                .body("detail", containsString("Only bearer tokens"));
        given().auth().oauth2(TestTokens.ANALYST).get("/api/queries").then().statusCode(403)
                .body("detail", containsString("analyst"));
    }

    @Test
    void healthStaysOpenAndDocsAndMetricsNeedAToken() {
        given().auth().none().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'access-tokens' }.status", equalTo("UP"));
        given().auth().none().get("/q/openapi").then().statusCode(401);
        given().auth().none().get("/q/metrics").then().statusCode(401);
        given().auth().oauth2(TestTokens.ANALYST).get("/q/metrics").then().statusCode(200);
    }
}
