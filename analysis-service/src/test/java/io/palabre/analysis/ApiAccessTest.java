package io.palabre.analysis;

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
 * Who may call analysis-service: every operation of its OpenAPI document, called without credentials, with unusable
 * tokens and as an analyst, checked against the real token topic on the real broker.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ApiAccessTest {

    @Test
    void everyOperationRefusesCallersWithoutAUsableToken() {
        List<Operation> operations = ApiOperations.ofService(TestTokens.ADMIN);
        assertEquals(List.of("GET /api/analysis/status"), operations.stream().map(o -> o.method() + " " + o.template())
                .toList(), "analysis-service answers only how far it has come; analysts ask dashboard-service");
        assertEquals(List.of(), ApiOperations.notRefusingUnusableCredentials(operations));
    }

    @Test
    void anAnalystReadsEverything() {
        List<Operation> operations = ApiOperations.ofService(TestTokens.ADMIN);
        assertTrue(operations.stream().noneMatch(Operation::writes), "analysis-service only answers questions");
        assertEquals(List.of(), ApiOperations.forbiddenTo(operations, TestTokens.ANALYST));
    }
}
