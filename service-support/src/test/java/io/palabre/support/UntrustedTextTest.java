package io.palabre.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The cleaning of untrusted text alone: plain JUnit.
 */
class UntrustedTextTest {

    @Test
    void cleanTextIsReturnedAsItIs() {
        String text = "Bonjour 👋🏽, مرحبا\tà la ligne\n";
        assertSame(text, UntrustedText.clean(text, true, 1000));
        assertEquals(-1, UntrustedText.unusable(text.replace("\t", "").replace("\n", "")));
    }

    @Test
    void controlsGoLayoutStaysWhereAskedAndLoneSurrogatesAreReplaced() {
        assertEquals("abc\td\n", UntrustedText.clean("a\u0000b\u0007c\u007f\u0085\td\n", true, 1000));
        assertEquals("abcd", UntrustedText.clean("a\u0000b\u0007c\td\n", false, 1000));
        assertEquals("x\ufffdy\ufffd", UntrustedText.clean("x\ud800y\udc00", true, 1000));
        assertEquals(1, UntrustedText.unusable("x\ud800y"));
        assertEquals(2, UntrustedText.unusable("ab\u0000"));
    }

    @Test
    void textIsCutAtTheLimitNeverInsideAPair() {
        assertEquals("ab", UntrustedText.clean("ab👋", true, 3));
        assertEquals("ab👋", UntrustedText.clean("ab👋c", true, 4));
        assertEquals("abc", UntrustedText.clean("a\u0000bcdef", true, 3));
    }

    @Test
    void aTreeIsCleanedInPlaceExceptTheFieldsKeptAsTheyAre() throws Exception {
        JsonNode tree = new ObjectMapper().readTree("{\"id\":\"a\\u0000b\",\"text\":\"x\\u0000y\","
                + "\"list\":[null,\"p\\u0001q\"],\"na\\u0000me\":{\"deep\":\"z\\u0000\"}}");
        assertTrue(UntrustedText.cleanTree(tree, "id"::equals, 100));
        assertEquals("a\u0000b", tree.get("id").asText());
        assertEquals("xy", tree.get("text").asText());
        assertEquals(1, tree.get("list").size());
        assertEquals("pq", tree.get("list").get(0).asText());
        assertEquals("z", tree.get("name").get("deep").asText());
        assertFalse(UntrustedText.cleanTree(tree, "id"::equals, 100), "clean already");
    }
}
