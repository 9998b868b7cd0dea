package io.nemotron4j.spring.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

import io.nemotron4j.engine.generate.NemotronEngine;
import io.nemotron4j.engine.model.EngineOptions;
import io.nemotron4j.engine.serve.SchedulerOptions;

/**
 * The test model: a real Nemotron-H GGUF of 416 KiB with random weights, a real Tekken-style tokenizer and the Nano
 * v2 chat template (context 4096). What it says on its own is gibberish; {@link ScriptedChooser} makes it say
 * specific things while the model, tokenizer, template and generation loop run for real.
 */
public final class TinyModel {

    /** The test resource's name. */
    public static final String RESOURCE = "nemotron-h-tok-tekken.gguf";

    private TinyModel() {
    }

    /** The model file. */
    public static Path path() {
        try {
            return Path.of(TinyModel.class.getResource("/" + RESOURCE).toURI());
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Loads the model on one thread (tests run side by side on small machines). */
    public static NemotronEngine load() {
        return load(NemotronEngine.defaultScheduling(EngineOptions.defaults()));
    }

    /** Loads the model on one thread with the given scheduling. */
    public static NemotronEngine load(SchedulerOptions scheduling) {
        try {
            return NemotronEngine.load(path(), EngineOptions.defaults().withThreads(1), scheduling);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
