package io.nemotron4j.spring.model;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.serve.SchedulerOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Finds the model file a configuration names and loads it, turning every way this can fail into a
 * {@link NemotronModelException} that says what is wrong and what to do.
 *
 * <p>Sources: a local path; or a URI: {@code file:}, {@code hf://owner/repo[@revision]/file.gguf} (the Hugging Face
 * hub) or {@code http(s)://} (any server), the last two downloaded once into the cache by {@link ModelDownloader}.
 *
 * @since 0.1.0
 */
public final class ModelLocator {

    private static final Log logger = LogFactory.getLog(ModelLocator.class);

    private final ModelDownloader downloader;

    /** Creates a locator that downloads with the given downloader. */
    public ModelLocator(ModelDownloader downloader) {
        Assert.notNull(downloader, "downloader must not be null");
        this.downloader = downloader;
    }

    /**
     * The local file of the configured model, downloading it first when it is remote and not cached.
     * @param path {@code nemotron.model.path}, or {@code null}
     * @param uri {@code nemotron.model.uri}, or {@code null}
     * @param sha256 {@code nemotron.model.sha256}, or {@code null}
     * @throws NemotronModelException if neither or both are set, or the file cannot be had
     */
    public Path locate(@Nullable Path path, @Nullable String uri, @Nullable String sha256) {
        boolean hasUri = uri != null && !uri.isBlank();
        if (path != null && hasUri) {
            throw new NemotronModelException("both nemotron.model.path (" + path + ") and nemotron.model.uri (" + uri
                    + ") are set", "set only one of them");
        }
        String expected = ModelDownloader.normalizeSha256(sha256);
        if (path != null) {
            return checkedLocalFile(path, expected, "nemotron.model.path");
        }
        if (!hasUri) {
            throw new NemotronModelException("no Nemotron model is configured",
                    "set nemotron.model.path to a Nemotron-H GGUF file, or nemotron.model.uri to one "
                            + "(hf://owner/repo/file.gguf downloads it from Hugging Face)");
        }
        String trimmed = uri.strip();
        if (HuggingFaceReference.isReference(trimmed)) {
            HuggingFaceReference reference;
            try {
                reference = HuggingFaceReference.parse(trimmed, this.downloader.settings().revision());
            }
            catch (IllegalArgumentException ex) {
                throw new NemotronModelException("nemotron.model.uri is not a valid Hugging Face reference: "
                        + ex.getMessage(), "write it as hf://owner/repo/file.gguf or hf://owner/repo@revision/file.gguf",
                        ex);
            }
            return this.downloader.download(reference, expected);
        }
        URI parsed;
        try {
            parsed = new URI(trimmed);
        }
        catch (URISyntaxException ex) {
            throw new NemotronModelException("nemotron.model.uri is not a valid URI: " + ex.getMessage(),
                    "use hf://owner/repo/file.gguf, https://host/file.gguf or file:/path/file.gguf", ex);
        }
        String scheme = (parsed.getScheme() == null) ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> checkedLocalFile(Path.of(parsed), expected, "nemotron.model.uri");
            case "http", "https" -> this.downloader.download(parsed, expected);
            default -> throw new NemotronModelException("nemotron.model.uri has the unsupported scheme '" + scheme
                    + "': " + trimmed, "use hf://owner/repo/file.gguf, https://host/file.gguf or file:/path/file.gguf,"
                            + " or set nemotron.model.path to a local file");
        };
    }

    private static Path checkedLocalFile(Path path, @Nullable String expected, String property) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new NemotronModelException("the model file " + absolute + " (" + property + ") does not exist",
                    "set " + property + " to an existing Nemotron-H GGUF file, or set nemotron.model.uri to "
                            + "download one (hf://owner/repo/file.gguf)");
        }
        if (!Files.isRegularFile(absolute)) {
            throw new NemotronModelException("the model path " + absolute + " (" + property + ") is not a file",
                    "point " + property + " at the .gguf file itself, not at its directory");
        }
        if (expected != null) {
            logger.info("Checking the SHA-256 of " + absolute + " (nemotron.model.sha256 is set)");
            String actual;
            try {
                actual = ModelDownloader.sha256Of(absolute);
            }
            catch (IOException ex) {
                throw new NemotronModelException("cannot read the model file " + absolute + ": " + ex.getMessage(),
                        "check the file's permissions", ex);
            }
            if (!expected.equals(actual)) {
                throw new NemotronModelException("the model file " + absolute + " has SHA-256 " + actual
                        + " but nemotron.model.sha256 expects " + expected,
                        "replace the file (a damaged or different download?) or correct nemotron.model.sha256");
            }
        }
        return absolute;
    }

    /**
     * Loads the engine from a located file, with the engine's default scheduling.
     * @throws NemotronModelException if the file is not a usable Nemotron-H GGUF or cannot be read
     */
    public static NemotronEngine load(Path file, EngineOptions options) {
        return load(file, options, NemotronEngine.defaultScheduling(options));
    }

    /**
     * Loads the engine from a located file.
     * @param scheduling how the engine admits and batches generations
     * @throws NemotronModelException if the file is not a usable Nemotron-H GGUF, cannot be read, or the scheduling
     * does not suit it
     */
    public static NemotronEngine load(Path file, EngineOptions options, SchedulerOptions scheduling) {
        long start = System.nanoTime();
        NemotronEngine engine;
        try {
            engine = NemotronEngine.load(file, options, scheduling);
        }
        catch (GGUFException ex) {
            throw new NemotronModelException("the model file " + file + " is not a usable Nemotron-H GGUF: "
                    + ex.getMessage(), "use a GGUF of a Nemotron-H model (such as NVIDIA-Nemotron-Nano-9B-v2); "
                            + "'nemotron4j inspect FILE' shows what a file holds",
                    ex);
        }
        catch (IOException ex) {
            throw new NemotronModelException("cannot read the model file " + file + ": " + ex.getMessage(),
                    "check that the file exists and is readable", ex);
        }
        catch (RuntimeException ex) {
            throw new NemotronModelException("the model file " + file + " cannot be loaded: " + ex.getMessage(),
                    "use a GGUF of a Nemotron-H model; 'nemotron4j inspect FILE' shows what a file holds", ex);
        }
        logger.info("Loaded Nemotron-H model " + file + " in " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                + engine.model().config().layerCount() + " layers (" + engine.model().config().pattern()
                + "), context " + engine.model().config().contextLength() + ", " + options.threads() + " threads, up to "
                + scheduling.maxSequences() + " sequences in " + scheduling.memoryBudgetBytes() / (1 << 20)
                + " MiB");
        return engine;
    }
}
