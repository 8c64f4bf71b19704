package labops.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks that every canonical schema can read data written with its latest released version
 * (BACKWARD compatibility, as the registry enforces it). Released versions live in
 * {@code schemas/released/<Name>/<n>.avsc}; the build runs this and fails on any finding.
 *
 * <p>Usage: {@code SchemaCompatibilityCheck <releasedDir>} to check, or
 * {@code SchemaCompatibilityCheck <releasedDir> --release} to store every changed schema as its next version.
 */
public final class SchemaCompatibilityCheck {

    private SchemaCompatibilityCheck() {
    }

    public static void main(String[] args) {
        Path released = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("--release")) {
            release(CanonicalEvents.SCHEMAS, released).forEach(p -> System.out.println("released " + p));
            return;
        }
        List<String> findings = check(CanonicalEvents.SCHEMAS, released);
        if (!findings.isEmpty()) {
            throw new IllegalStateException("Canonical schemas are not BACKWARD compatible:\n  - "
                    + String.join("\n  - ", findings));
        }
        System.out.println("schema compatibility: " + CanonicalEvents.SCHEMAS.size() + " schemas BACKWARD compatible with "
                + released);
    }

    /** Returns one line per problem; empty when every schema is compatible with its latest released version. */
    public static List<String> check(List<Schema> current, Path releasedDir) {
        var findings = new ArrayList<String>();
        for (Schema schema : current) {
            Optional<Path> latest = latestRelease(releasedDir, schema.getName());
            if (latest.isEmpty()) {
                findings.add(schema.getName() + ": no released version under " + releasedDir.resolve(schema.getName())
                        + " (release it with --release)");
                continue;
            }
            Schema previous = parse(latest.get());
            var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, previous).getResult();
            if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
                for (var incompatibility : result.getIncompatibilities()) {
                    findings.add(schema.getName() + " cannot read " + latest.get().getFileName() + ": "
                            + incompatibility.getType() + " at " + incompatibility.getLocation() + " ("
                            + incompatibility.getMessage() + ")");
                }
            }
        }
        return findings;
    }

    /** Writes each schema that differs from its latest release as the next version; returns the files written. */
    public static List<Path> release(List<Schema> current, Path releasedDir) {
        var written = new ArrayList<Path>();
        for (Schema schema : current) {
            Optional<Path> latest = latestRelease(releasedDir, schema.getName());
            if (latest.isPresent() && parse(latest.get()).equals(schema)) {
                continue;
            }
            int next = latest.map(p -> version(p) + 1).orElse(1);
            Path file = releasedDir.resolve(schema.getName()).resolve(next + ".avsc");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, schema.toString(true) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.add(file);
        }
        return written;
    }

    private static Optional<Path> latestRelease(Path releasedDir, String name) {
        Path dir = releasedDir.resolve(name);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d+\\.avsc"))
                    .max(Comparator.comparingInt(SchemaCompatibilityCheck::version));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
