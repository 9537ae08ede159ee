package io.palabre.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The interface speaks English and French from one bundle each: both hold the same keys with the same placeholders,
 * and every key the pages, the static HTML and the report ask for exists. Plain JUnit over the sources.
 */
class I18nBundlesTest {

    private static final Path RESOURCES = Path.of("src/main/resources/META-INF/resources");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
    private static final Pattern JS_KEY = Pattern.compile("\\bt\\('([\\w.-]+)'");
    private static final Pattern JS_PLURAL = Pattern.compile("\\bplural\\('([\\w.-]+)'");
    private static final Pattern JS_DYNAMIC = Pattern.compile("\\bt\\(`([\\w.-]+)\\$\\{");
    private static final Pattern HTML_KEY = Pattern.compile("data-i18n(?:-label|-title)?=\"([\\w.-]+)\"");
    private static final Pattern JAVA_KEY = Pattern.compile("\\bt\\(\"([\\w.-]+)\"\\)");

    @Test
    void bothLanguagesHoldTheSameKeysWithTheSamePlaceholders() throws IOException {
        Map<String, String> en = bundle("en");
        Map<String, String> fr = bundle("fr");
        assertEquals(new TreeSet<>(en.keySet()), new TreeSet<>(fr.keySet()), "keys of en.json and fr.json");
        List<String> wrong = new ArrayList<>();
        for (String key : en.keySet()) {
            if (en.get(key).isBlank() || fr.get(key).isBlank()) {
                wrong.add(key + ": empty");
            } else if (!placeholders(en.get(key)).equals(placeholders(fr.get(key)))) {
                wrong.add(key + ": " + placeholders(en.get(key)) + " in English, " + placeholders(fr.get(key))
                        + " in French");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyKeyThePagesAndTheReportAskForExists() throws IOException {
        Set<String> keys = bundle("en").keySet();
        List<String> missing = new ArrayList<>();
        int asked = 0;
        List<Path> sources;
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".js") || p.toString().endsWith(".html")).toList();
        }
        for (Path file : sources) {
            String text = Files.readString(file);
            for (String key : found(JS_KEY, text)) {
                asked++;
                if (!keys.contains(key)) {
                    missing.add(file.getFileName() + ": " + key);
                }
            }
            for (String key : found(HTML_KEY, text)) {
                asked++;
                if (!keys.contains(key)) {
                    missing.add(file.getFileName() + ": " + key);
                }
            }
            for (String key : found(JS_PLURAL, text)) {
                asked++;
                if (!keys.contains(key + ".one") || !keys.contains(key + ".other")) {
                    missing.add(file.getFileName() + ": " + key + ".one/.other");
                }
            }
            for (String prefix : found(JS_DYNAMIC, text)) {
                asked++;
                if (keys.stream().noneMatch(k -> k.startsWith(prefix))) {
                    missing.add(file.getFileName() + ": " + prefix + "…");
                }
            }
        }
        String report = Files.readString(Path.of("src/main/java/io/palabre/dashboard/report/ReportFormats.java"));
        for (String key : found(JAVA_KEY, report)) {
            asked++;
            if (!keys.contains(key)) {
                missing.add("ReportFormats: " + key);
            }
        }
        assertTrue(asked > 300, "keys asked for: " + asked);
        assertEquals(List.of(), missing);
    }

    @Test
    void noPageWritesEnglishOutsideTheBundles() throws IOException {
        // A literal sentence handed to h() or empty() would escape translation: text starts with a capital letter.
        Pattern literal = Pattern.compile("(?:h\\('[a-z0-9]+', \\{[^}]*\\}, |empty\\()'[A-Z][a-z]+ [a-z]");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(RESOURCES.resolve("js/pages"))) {
            for (Path file : files.toList()) {
                Matcher m = literal.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(file.getFileName() + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static Map<String, String> bundle(String lang) throws IOException {
        return new ObjectMapper().readValue(RESOURCES.resolve("i18n/" + lang + ".json").toFile(),
                new TypeReference<Map<String, String>>() {
                });
    }

    private static Set<String> placeholders(String text) {
        return new TreeSet<>(found(PLACEHOLDER, text));
    }

    private static List<String> found(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
