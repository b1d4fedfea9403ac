package io.calltrack.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number-pool.yaml the test application runs with: the repository's demo file plus a test site.
 * Tests that change it restore it with {@link #restore()}.
 */
public final class TestPoolFile {

    private static Path file;
    private static String original;

    private TestPoolFile() {
    }

    /** @param dbUrl, dbUser the suite's database, which also holds the test PBX's CDR table (see TestServices) */
    static synchronized Path create(String dbUrl, String dbUser) {
        try {
            if (file == null) {
                file = Files.createTempFile("number-pool-test", ".yaml");
                original = Files.readString(Path.of("src/test/resources/number-pool-test.yaml"))
                        .replace("@AMI_PORT@", String.valueOf(FakeAmi.PORT))
                        .replace("@CDR_URL@", dbUrl).replace("@CDR_USER@", dbUser);
                Files.writeString(file, original);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized Path create() {
        if (file == null) {
            throw new IllegalStateException("TestServices makes the test pool file when the suite starts");
        }
        return file;
    }

    public static String read() {
        try {
            return Files.readString(create());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(String content) {
        try {
            Files.writeString(create(), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void restore() {
        write(original);
    }
}
