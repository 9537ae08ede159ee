package io.palabre.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.restassured.path.json.JsonPath;

/**
 * Runs networkx, the Python graph library, on a graph download: {@code read-graph.py} (test resources) reads it with
 * {@code read_gexf} or {@code read_graphml} and prints what it found. Debian's python3-networkx is looked for
 * ({@code /usr/bin/python3}), and any {@code python3} on the path.
 */
final class Networkx {

    private Networkx() {
    }

    /** What one run printed (output and errors together) and how it exited. */
    record Result(int exit, String output) {
    }

    /**
     * Every python3 found that imports networkx, one per networkx version (Debian's first): a machine that has two
     * versions has both checked.
     */
    static List<String> pythons() throws InterruptedException {
        Map<String, String> byVersion = new LinkedHashMap<>();
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import networkx; print(networkx.__version__)")
                        .redirectErrorStream(true).start();
                String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    byVersion.putIfAbsent(version, candidate);
                }
            } catch (IOException e) {
                // not installed: try the next one
            }
        }
        return List.copyOf(byVersion.values());
    }

    /** Reads the document with networkx; fails when networkx cannot. */
    static JsonPath read(String python, String kind, String document) throws IOException, InterruptedException {
        Result r = run(python, kind, document);
        if (r.exit() != 0) {
            throw new AssertionError("networkx could not read the " + kind + " download: " + r.output());
        }
        return JsonPath.from(r.output());
    }

    static Result run(String python, String kind, String document) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("palabre-networkx");
        try {
            Path script = dir.resolve("read-graph.py");
            try (InputStream in = Networkx.class.getClassLoader().getResourceAsStream("read-graph.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path file = dir.resolve("graph." + kind);
            Files.writeString(file, document, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(python, script.toString(), kind, file.toString()).redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("networkx did not answer in 120 s");
            }
            return new Result(p.exitValue(), output.trim());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
