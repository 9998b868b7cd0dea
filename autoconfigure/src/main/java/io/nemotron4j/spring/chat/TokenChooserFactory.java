package io.nemotron4j.spring.chat;

import io.nemotron4j.engine.generate.GenerationRequest;
import io.nemotron4j.engine.generate.TokenChooser;
import org.jspecify.annotations.Nullable;

/**
 * Chooses who picks the tokens of a generation: the engine's sampler (return {@code null}) or a
 * {@link TokenChooser} of your own, for example for constrained decoding. Tests use it to script what the model
 * says while the real model, tokenizer, chat template and generation loop run.
 *
 * <p>Declare one as a bean and the auto-configured {@link NemotronChatModel} uses it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TokenChooserFactory {

    /**
     * A chooser for this request, or {@code null} to sample as the request's options say.
     * @param request the conversation, tools and options the engine is about to run
     * @return a fresh chooser used by this generation only, or {@code null}
     */
    @Nullable TokenChooser create(GenerationRequest request);
}
