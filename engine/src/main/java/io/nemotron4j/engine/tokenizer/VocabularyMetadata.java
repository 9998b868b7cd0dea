package io.nemotron4j.engine.tokenizer;

import io.nemotron4j.engine.gguf.GGUFArray;
import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFMetadata;
import io.nemotron4j.engine.gguf.GGUFValueType;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tokenizer keys of a GGUF file, read and checked, with llama.cpp's load-time adjustments applied.
 *
 * @param texts the vocabulary (byte-level alphabet for ordinary entries, literal text for specials)
 * @param types the type of each entry
 * @param merges the merges, {@code "A B"}, rank = index
 * @param preTokenizer selected by {@code tokenizer.ggml.pre}
 * @param bosId BOS id or -1
 * @param eosId EOS id or -1
 * @param unknownId unknown-token id or -1
 * @param paddingId padding id or -1
 * @param addBos whether plain prompts should start with BOS
 * @param addEos whether plain prompts should end with EOS
 */
record VocabularyMetadata(String[] texts, TokenType[] types, String[] merges, PreTokenizer preTokenizer,
        int bosId, int eosId, int unknownId, int paddingId, boolean addBos, boolean addEos) {

    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String TOKEN_TYPES = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";

    /**
     * Texts llama.cpp treats as end-of-turn or end-of-generation markers, whatever type the file gives them (it
     * makes them CONTROL): the markers of the chat formats a Nemotron GGUF may carry. Forcing them to CONTROL keeps
     * user text from producing them even where a converter marked them user-defined.
     */
    static final Set<String> END_OF_GENERATION_TEXTS = Set.of("</s>", "<|im_end|>", "<|endoftext|>",
            "<|end_of_text|>", "<|eot_id|>", "<|eom_id|>", "<|end|>", "<end_of_turn>", "<eos>", "<EOT>");

    static VocabularyMetadata read(GGUFMetadata metadata) throws GGUFException {
        String model = metadata.getString(MODEL);
        if (!model.equals("gpt2")) {
            throw new GGUFException(MODEL + " is \"" + model + "\"; only byte-level BPE (\"gpt2\") is supported");
        }
        if (!metadata.contains(PRE)) {
            // llama.cpp falls back to "default" with a warning; a silent different split is worse than an error.
            throw new GGUFException("metadata key '" + PRE + "' is missing; it must name the pre-tokenizer (supported: "
                    + PreTokenizer.supported() + ")");
        }
        PreTokenizer pre = PreTokenizer.forName(metadata.getString(PRE));
        String[] texts = strings(metadata, TOKENS);
        if (texts.length == 0) {
            throw new GGUFException("metadata key '" + TOKENS + "' is empty");
        }
        TokenType[] types = types(metadata, texts.length);
        Map<String, Integer> seen = HashMap.newHashMap(texts.length);
        for (int id = 0; id < texts.length; id++) {
            if (texts[id].isEmpty()) {
                // llama.cpp's name for an empty entry; an empty special would otherwise match everywhere.
                texts[id] = "[EMPTY_" + id + "]";
            }
            Integer earlier = seen.putIfAbsent(texts[id], id);
            if (earlier != null) {
                throw new GGUFException(TOKENS + " holds \"" + texts[id] + "\" twice, as ids " + earlier + " and " + id);
            }
            if (END_OF_GENERATION_TEXTS.contains(texts[id])) {
                types[id] = TokenType.CONTROL;
            }
        }
        return new VocabularyMetadata(texts, types, strings(metadata, MERGES), pre,
                tokenId(metadata, "tokenizer.ggml.bos_token_id", texts.length),
                tokenId(metadata, "tokenizer.ggml.eos_token_id", texts.length),
                tokenId(metadata, "tokenizer.ggml.unknown_token_id", texts.length),
                tokenId(metadata, "tokenizer.ggml.padding_token_id", texts.length),
                flag(metadata, "tokenizer.ggml.add_bos_token", pre.addsBosByDefault()),
                flag(metadata, "tokenizer.ggml.add_eos_token", false));
    }

    private static String[] strings(GGUFMetadata metadata, String key) throws GGUFException {
        GGUFArray array = metadata.getArray(key);
        if (array.elementType() != GGUFValueType.STRING) {
            throw new GGUFException("metadata key '" + key + "' is an array of " + array.elementType() + ", expected STRING");
        }
        return array.strings().clone();
    }

    private static TokenType[] types(GGUFMetadata metadata, int count) throws GGUFException {
        GGUFArray array = metadata.getArray(TOKEN_TYPES);
        // Integer arrays of every width are held as long[].
        if (!(array.values() instanceof long[] codes)) {
            throw new GGUFException("metadata key '" + TOKEN_TYPES + "' is an array of " + array.elementType()
                    + ", expected integers");
        }
        if (codes.length != count) {
            throw new GGUFException("metadata key '" + TOKEN_TYPES + "' has " + codes.length + " entries but "
                    + TOKENS + " has " + count);
        }
        TokenType[] types = new TokenType[count];
        for (int i = 0; i < count; i++) {
            types[i] = TokenType.fromCode(codes[i]);
        }
        return types;
    }

    private static int tokenId(GGUFMetadata metadata, String key, int vocabSize) throws GGUFException {
        if (!metadata.contains(key)) {
            return -1;
        }
        long id = metadata.getLong(key);
        if (id < 0 || id >= vocabSize) {
            throw new GGUFException("metadata key '" + key + "' is " + id + ", outside the vocabulary of " + vocabSize
                    + " tokens");
        }
        return (int) id;
    }

    private static boolean flag(GGUFMetadata metadata, String key, boolean absent) throws GGUFException {
        return metadata.contains(key) ? metadata.getBoolean(key) : absent;
    }
}
