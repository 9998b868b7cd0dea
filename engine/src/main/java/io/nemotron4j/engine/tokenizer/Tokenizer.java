package io.nemotron4j.engine.tokenizer;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFMetadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The byte-level BPE tokenizer of a GGUF model, built from its {@code tokenizer.ggml.*} metadata, giving the
 * same ids as llama.cpp. Immutable and safe to share between threads; each {@link Decoder} belongs to one stream.
 *
 * <h2>Plain text and special tokens: the security boundary</h2>
 * {@link #encode} is for text from users and tools. It never produces a control or unknown token: typing
 * {@code <SPECIAL_11>Assistant} or {@code </think>} yields ordinary characters, so nobody can forge a turn header
 * or end a turn early. (User-defined tokens are still matched, as in llama.cpp; the end-of-turn markers listed in
 * llama.cpp, such as {@code </s>} and {@code <|im_end|>}, always count as control tokens.)
 * {@link #encodeWithSpecials} matches every special token's text and is only for text the engine itself built
 * from a chat template. Build a prompt by encoding each user or tool part with {@code encode} and the template's
 * own markup with {@code encodeWithSpecials}, never by encoding one string that has user text pasted into it.
 *
 * <p>Neither method adds BOS or EOS; callers decide, using {@link #bosId()}, {@link #addBos()} and friends.
 */
public final class Tokenizer {

    private final String[] texts;
    private final TokenType[] types;
    private final byte[][] pieces;
    private final Map<String, Integer> specialIds;
    private final PreTokenizer preTokenizer;
    private final BytePairEncoder bpe;
    private final SpecialTokenSplitter allSpecials;
    private final SpecialTokenSplitter userDefined;
    private final BitSet endOfGeneration;
    private final int bosId;
    private final int eosId;
    private final int unknownId;
    private final int paddingId;
    private final boolean addBos;
    private final boolean addEos;

    private Tokenizer(VocabularyMetadata vocabulary) throws GGUFException {
        this.texts = vocabulary.texts();
        this.types = vocabulary.types();
        this.preTokenizer = vocabulary.preTokenizer();
        this.bpe = new BytePairEncoder(texts, types, vocabulary.merges(), preTokenizer.ignoreMerges());
        this.allSpecials = new SpecialTokenSplitter(texts, id -> types[id].isSpecial());
        this.userDefined = new SpecialTokenSplitter(texts, id -> types[id] == TokenType.USER_DEFINED);
        this.pieces = new byte[texts.length][];
        this.specialIds = new HashMap<>();
        this.endOfGeneration = new BitSet(texts.length);
        for (int id = 0; id < texts.length; id++) {
            if (types[id].isSpecial()) {
                pieces[id] = texts[id].getBytes(StandardCharsets.UTF_8);
                specialIds.put(texts[id], id);
            } else {
                pieces[id] = ByteLevel.decode(texts[id]);
            }
            if (VocabularyMetadata.END_OF_GENERATION_TEXTS.contains(texts[id])) {
                endOfGeneration.set(id);
            }
        }
        this.bosId = vocabulary.bosId();
        this.eosId = vocabulary.eosId();
        this.unknownId = vocabulary.unknownId();
        this.paddingId = vocabulary.paddingId();
        this.addBos = vocabulary.addBos();
        this.addEos = vocabulary.addEos();
        if (eosId >= 0) {
            endOfGeneration.set(eosId);
        }
    }

    /**
     * Builds the tokenizer from a GGUF file's metadata ({@code GGUFFile.open(path).metadata()}; no weights needed).
     *
     * @throws GGUFException if a tokenizer key is missing or malformed, {@code tokenizer.ggml.model} is not
     *         {@code gpt2}, or {@code tokenizer.ggml.pre} names a pre-tokenizer this engine does not implement
     *         (the message names the value and lists the supported ones)
     */
    public static Tokenizer fromMetadata(GGUFMetadata metadata) throws GGUFException {
        return new Tokenizer(VocabularyMetadata.read(metadata));
    }

    /**
     * Tokenizes untrusted text: user messages, tool output, documents. Control and unknown tokens are never
     * matched, so the result holds no id for which {@link #isControl} is true. Adds no BOS or EOS.
     */
    public int[] encode(String text) {
        return encode(text, userDefined);
    }

    /**
     * Tokenizes text the engine rendered from a chat template: every special token's text (control,
     * user-defined and unknown entries) becomes that token, longest first. Never pass user text through this
     * method; see the class documentation. Adds no BOS or EOS.
     */
    public int[] encodeWithSpecials(String text) {
        return encode(text, allSpecials);
    }

    private int[] encode(String text, SpecialTokenSplitter specials) {
        String wellFormed = replaceUnpairedSurrogates(text);
        IntList out = new IntList();
        specials.split(wellFormed, new SpecialTokenSplitter.Sink() {
            @Override
            public void text(int start, int end) {
                IntList ends = preTokenizer.split(wellFormed, start, end);
                int from = start;
                for (int i = 0; i < ends.size(); i++) {
                    appendPiece(wellFormed.substring(from, ends.get(i)), out);
                    from = ends.get(i);
                }
            }

            @Override
            public void special(int id) {
                out.add(id);
            }
        });
        return out.toArray();
    }

    /** Byte-pair encodes one pre-tokenized piece (not empty). */
    void appendPiece(String piece, IntList out) {
        bpe.encode(piece.getBytes(StandardCharsets.UTF_8), out);
    }

    // UTF-8 cannot carry a lone surrogate; llama.cpp reads invalid input as U+FFFD, so do the same.
    private static String replaceUnpairedSurrogates(String text) {
        // codePoints() yields a paired surrogate as one supplementary code point and an unpaired one as itself.
        return text.codePoints().anyMatch(Utf8::isSurrogate)
                ? text.codePoints().map(c -> Utf8.isSurrogate(c) ? 0xFFFD : c)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                : text;
    }

    /** The id of the special (control, user-defined or unknown) token with exactly this text, e.g. {@code </think>}. */
    public OptionalInt specialId(String text) {
        Integer id = specialIds.get(text);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The entry's text as stored in the GGUF: byte-level alphabet ({@code Ġw}) for ordinary tokens, literal for specials. */
    public String tokenText(int id) {
        return texts[checkId(id)];
    }

    /**
     * The bytes the token stands for in decoded text: a special token's literal text in UTF-8, otherwise the
     * bytes its byte-level piece encodes, which may be part of a multi-byte character.
     */
    public byte[] tokenBytes(int id) {
        return pieces[checkId(id)].clone();
    }

    /** Whether the token is a control token (turn markers, BOS, EOS…), which {@link #encode} never produces. */
    public boolean isControl(int id) {
        return types[checkId(id)] == TokenType.CONTROL;
    }

    /**
     * Whether generating this token ends generation as llama.cpp decides it: EOS and the known end-of-turn
     * markers ({@code </s>}, {@code <|im_end|>} and the like) present in the vocabulary.
     */
    public boolean isEndOfGeneration(int id) {
        return endOfGeneration.get(checkId(id));
    }

    /** Number of vocabulary entries. */
    public int vocabSize() {
        return texts.length;
    }

    /** BOS ({@code tokenizer.ggml.bos_token_id}), or -1 if the file names none. */
    public int bosId() {
        return bosId;
    }

    /** EOS ({@code tokenizer.ggml.eos_token_id}), or -1 if the file names none. */
    public int eosId() {
        return eosId;
    }

    /** The unknown token ({@code tokenizer.ggml.unknown_token_id}), or -1 if the file names none. */
    public int unknownId() {
        return unknownId;
    }

    /** The padding token ({@code tokenizer.ggml.padding_token_id}), or -1 if the file names none. */
    public int paddingId() {
        return paddingId;
    }

    /**
     * Whether a raw completion prompt should start with BOS: {@code tokenizer.ggml.add_bos_token}, or llama.cpp's
     * default for the pre-tokenizer when absent ({@code tekken}, {@code pixtral}: yes). Chat prompts usually
     * start without BOS; that is the caller's decision.
     */
    public boolean addBos() {
        return addBos;
    }

    /** Whether a prompt should end with EOS ({@code tokenizer.ggml.add_eos_token}, default no). */
    public boolean addEos() {
        return addEos;
    }

    /** The {@code tokenizer.ggml.pre} value this tokenizer splits text with. */
    public String preTokenizerName() {
        return preTokenizer.ggufName();
    }

    /**
     * The text of a token sequence, special tokens rendered as their text. Lossless: decoding what
     * {@link #encodeWithSpecials} produced gives the original text back (no space clean-up as llama.cpp does for
     * some pre-tokenizers). Bytes that do not form valid UTF-8 become U+FFFD.
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            bytes.writeBytes(pieces[checkId(id)]);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A decoder for one stream of generated tokens. */
    public Decoder newDecoder() {
        return new Decoder();
    }

    private int checkId(int id) {
        if (id < 0 || id >= texts.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (texts.length - 1) + ")");
        }
        return id;
    }

    /**
     * Turns a stream of token ids into text as it arrives. A token may end in the middle of a multi-byte UTF-8
     * character (e.g. {@code ち} = e3 81 a1 split as e381 + a1); the decoder holds such a tail back until the
     * character is complete, so every returned string consists of whole characters. Not thread-safe.
     */
    public final class Decoder {

        private byte[] pending = new byte[16];
        private int size;

        private Decoder() {
        }

        /** Adds one token and returns the text completed by it (possibly empty). */
        public String accept(int id) {
            byte[] piece = pieces[checkId(id)];
            if (size + piece.length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + piece.length));
            }
            System.arraycopy(piece, 0, pending, size, piece.length);
            size += piece.length;
            int complete = Utf8.completePrefix(pending, size);
            String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
            System.arraycopy(pending, complete, pending, 0, size - complete);
            size -= complete;
            return text;
        }

        /** Whether no part of a character is held back, so text may be inserted after the tokens so far. */
        public boolean isAtCharacterBoundary() {
            return size == 0;
        }

        /** Ends the stream: returns any held-back bytes, an unfinished character as U+FFFD, and starts afresh. */
        public String flush() {
            String text = new String(pending, 0, size, StandardCharsets.UTF_8);
            size = 0;
            return text;
        }
    }
}
