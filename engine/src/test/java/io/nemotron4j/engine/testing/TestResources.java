package io.nemotron4j.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates test resources (copied from the shared reference set into src/test/resources) and reads them. */
public final class TestResources {

    private TestResources() {
    }

    /** The file of a classpath resource, e.g. {@code reference/tiny/tiny-f32.gguf}. */
    public static Path path(String resource) {
        URL url = TestResources.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test resource " + resource + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw little-endian float32 file. */
    public static float[] floats(String resource) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path(resource))).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Comma-separated integers on one line. */
    public static int[] ints(String resource) {
        try {
            String[] parts = Files.readString(path(resource)).trim().split(",");
            int[] out = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Integer.parseInt(parts[i].trim());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
