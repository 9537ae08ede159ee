package io.palabre.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Reads the topic contracts in docs/contracts (JSON Schemas and example messages) for contract tests.
 */
public final class Contracts {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Contracts() {
    }

    /** The docs/contracts folder, as the build passes it in {@code palabre.contracts.dir}. */
    public static Path dir() {
        String configured = System.getProperty("palabre.contracts.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "docs", "contracts");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("No contracts folder at " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** A schema of docs/contracts, such as {@code mention.schema.json}, with format assertions on. */
    public static JsonSchema schema(String fileName) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(m -> m.mapPrefix("https://palabre.io/contracts/",
                        dir().toUri().toString())));
        return factory.getSchema(SchemaLocation.of("https://palabre.io/contracts/" + fileName), config);
    }

    public static Set<ValidationMessage> validate(String schemaFile, String json) {
        try {
            return schema(schemaFile).validate(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Example messages whose file name starts with {@code prefix}, from examples/ or examples/invalid/. */
    public static List<Path> examples(String prefix, boolean valid) {
        Path folder = valid ? dir().resolve("examples") : dir().resolve("examples").resolve("invalid");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
