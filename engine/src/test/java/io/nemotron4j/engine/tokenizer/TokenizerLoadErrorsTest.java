package io.nemotron4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nemotron4j.engine.gguf.GGUFArray;
import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFMetadata;
import io.nemotron4j.engine.gguf.GGUFValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** Metadata a tokenizer cannot be built from fails with a message that says what is wrong. */
class TokenizerLoadErrorsTest {

    @Test
    void unknownPreTokenizerIsNamedWithTheSupportedOnes() {
        assertThatThrownBy(() -> load(kv -> kv.put("tokenizer.ggml.pre", GGUFValue.string("nemotron"))))
                .isInstanceOf(GGUFException.class)
                .hasMessageContaining("\"nemotron\"")
                .hasMessageContaining("supported: tekken, pixtral, default, gpt-2");
    }

    @Test
    void missingPreTokenizerIsAnError() {
        assertThatThrownBy(() -> load(kv -> kv.remove("tokenizer.ggml.pre")))
                .isInstanceOf(GGUFException.class)
                .hasMessageContaining("'tokenizer.ggml.pre' is missing");
    }

    @Test
    void missingVocabularyIsNamed() {
        assertThatThrownBy(() -> load(kv -> kv.remove("tokenizer.ggml.tokens")))
                .isInstanceOf(GGUFException.class)
                .hasMessageContaining("'tokenizer.ggml.tokens' is missing");
    }

    @Test
    void missingMergesOrTypesAreNamed() {
        assertThatThrownBy(() -> load(kv -> kv.remove("tokenizer.ggml.merges")))
                .isInstanceOf(GGUFException.class).hasMessageContaining("'tokenizer.ggml.merges' is missing");
        assertThatThrownBy(() -> load(kv -> kv.remove("tokenizer.ggml.token_type")))
                .isInstanceOf(GGUFException.class).hasMessageContaining("'tokenizer.ggml.token_type' is missing");
    }

    @Test
    void otherTokenizerModelsAreRefused() {
        assertThatThrownBy(() -> load(kv -> kv.put("tokenizer.ggml.model", GGUFValue.string("llama"))))
                .isInstanceOf(GGUFException.class)
                .hasMessageContaining("\"llama\"").hasMessageContaining("gpt2");
    }

    @Test
    void malformedEntriesAreDescribed() {
        assertThatThrownBy(() -> load(kv -> kv.put("tokenizer.ggml.tokens", GGUFValue.int32Array(1, 2))))
                .isInstanceOf(GGUFException.class).hasMessageContaining("expected STRING");
        assertThatThrownBy(() -> load(kv -> kv.put("tokenizer.ggml.token_type", GGUFValue.int32Array(1, 1, 3))))
                .isInstanceOf(GGUFException.class).hasMessageContaining("has 3 entries but tokenizer.ggml.tokens has 4304");
        assertThatThrownBy(() -> load(kv -> kv.put("tokenizer.ggml.merges", GGUFValue.stringArray("Ġ t", "nospace"))))
                .isInstanceOf(GGUFException.class).hasMessageContaining("entry 1 (\"nospace\")");
        assertThatThrownBy(() -> load(kv -> kv.put("tokenizer.ggml.bos_token_id", GGUFValue.uint32(5000))))
                .isInstanceOf(GGUFException.class).hasMessageContaining("'tokenizer.ggml.bos_token_id' is 5000");
    }

    @Test
    void duplicateVocabularyEntriesAreRefused() {
        assertThatThrownBy(() -> load(kv -> {
            String[] tokens = ((GGUFArray) kv.get("tokenizer.ggml.tokens").value()).strings().clone();
            tokens[4303] = tokens[1072];
            kv.put("tokenizer.ggml.tokens", GGUFValue.stringArray(tokens));
        })).isInstanceOf(GGUFException.class).hasMessageContaining("as ids 1072 and 4303");
    }

    private static Tokenizer load(Consumer<Map<String, GGUFValue>> edit) throws GGUFException {
        Map<String, GGUFValue> kv = new LinkedHashMap<>(Fixtures.metadata("tekken").asMap());
        edit.accept(kv);
        return Tokenizer.fromMetadata(new GGUFMetadata(kv));
    }
}
