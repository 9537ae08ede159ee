package io.palabre.analysis.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;

import io.palabre.analysis.text.TextLanguage;

/**
 * Compares language detectors on short labelled posts (src/test/resources/lang/short-posts.tsv): accuracy (right,
 * wrong, no answer) and detections per second on one thread. Run:
 *
 * <pre>
 * ./mvnw -q -pl analysis-service test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath io.palabre.analysis.bench.LanguageDetectionBenchmark"
 * </pre>
 */
public final class LanguageDetectionBenchmark {

    private static final String[] LANGUAGES = { "en", "fr", "de", "es", "it", "pt", "nl" };

    private LanguageDetectionBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        List<String[]> posts = load();
        System.out.printf(Locale.ROOT, "%d labelled short posts%n", posts.size());

        measure("palabre TextLanguage (lingua 1.2.2, low accuracy)", posts, new TextLanguage()::detect);

        com.github.pemistahl.lingua.api.LanguageDetector high = LanguageDetectorBuilder
                .fromLanguages(linguaLanguages()).withMinimumRelativeDistance(0.05).build();
        measure("lingua 1.2.2, high accuracy, raw text", posts, text -> {
            Language l = high.detectLanguageOf(text);
            return l == Language.UNKNOWN ? null : l.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
        });

        LanguageDetector optimaize = com.optimaize.langdetect.LanguageDetectorBuilder.create(NgramExtractors.standard())
                .withProfiles(new LanguageProfileReader().read(List.of(LANGUAGES))).build();
        TextObjectFactory shortText = CommonTextObjectFactories.forDetectingShortCleanText();
        measure("optimaize language-detector 0.6", posts, text -> {
            com.google.common.base.Optional<LdLocale> l = optimaize.detect(shortText.forText(text));
            return l.isPresent() ? l.get().getLanguage() : null;
        });
    }

    private static Language[] linguaLanguages() {
        return new Language[] { Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH,
                Language.ITALIAN, Language.PORTUGUESE, Language.DUTCH };
    }

    private static void measure(String name, List<String[]> posts, Function<String, String> detector) {
        long heapBefore = usedHeap();
        int right = 0;
        int wrong = 0;
        int none = 0;
        for (String[] post : posts) {
            String found = detector.apply(post[1]);
            if (found == null) {
                none++;
            } else if (found.equals(post[0])) {
                right++;
            } else {
                wrong++;
            }
        }
        int rounds = 0;
        long start = System.nanoTime();
        long deadline = start + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String[] post : posts) {
                detector.apply(post[1]);
            }
            rounds++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-48s right %3d  wrong %3d  no answer %3d  accuracy %5.1f %%  %,9.0f posts/s"
                + "  heap +%d MB%n", name, right, wrong, none, 100.0 * right / posts.size(),
                rounds * posts.size() / seconds, (usedHeap() - heapBefore) / (1024 * 1024));
    }

    private static long usedHeap() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static List<String[]> load() throws IOException {
        List<String[]> posts = new ArrayList<>();
        try (InputStream in = LanguageDetectionBenchmark.class.getResourceAsStream("/lang/short-posts.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    posts.add(line.split("\t", 2));
                }
            }
        }
        return posts;
    }
}
