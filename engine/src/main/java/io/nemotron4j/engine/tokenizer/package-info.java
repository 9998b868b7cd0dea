/**
 * The tokenizer of Nemotron-H GGUF models: byte-level BPE read from the {@code tokenizer.ggml.*} metadata, giving
 * the ids llama.cpp gives. {@link io.nemotron4j.engine.tokenizer.Tokenizer} is the entry point.
 *
 * <h2>Pipeline</h2>
 * <ol>
 * <li>Special tokens: the text is cut at literal occurrences of special-token texts, longest first. With
 *     {@code encodeWithSpecials} every control, user-defined and unknown entry counts; with {@code encode} only
 *     user-defined ones do (llama.cpp's {@code parse_special = false}).</li>
 * <li>Pre-tokenizer, chosen by {@code tokenizer.ggml.pre} ({@code tekken}, {@code pixtral}, {@code default},
 *     {@code gpt-2}; any other value is refused): regular expressions split each remaining fragment into
 *     pieces.</li>
 * <li>Each piece's UTF-8 bytes are written in GPT-2's byte alphabet. For {@code tekken} and {@code pixtral} a piece
 *     that is itself a vocabulary entry becomes that token (llama.cpp's {@code ignore_merges}); otherwise merges
 *     are applied lowest rank first, leftmost on ties.</li>
 * </ol>
 * There is no normalizer and no prefix space, and nothing adds BOS or EOS.
 *
 * <h2>The security boundary</h2>
 * {@code encode} is for untrusted text and never produces a control token; {@code encodeWithSpecials} is for text
 * the engine rendered from a chat template. Keeping user and tool text on the {@code encode} side is what stops a
 * user from typing {@code <SPECIAL_11>Assistant} to forge a turn. Two rules back this up: the byte-pair step
 * only ever produces ordinary entries (even if a byte string happened to spell a special token's text), and the
 * end-of-turn markers llama.cpp knows by name ({@code </s>}, {@code <|im_end|>}…) count as control tokens even
 * where the file marks them user-defined.
 *
 * <h2>Which split: llama.cpp's</h2>
 * The pre-tokenizer reproduces llama.cpp's split, not the original patterns of the upstream tokenizers, because
 * llama.cpp's ids are what GGUF users get and what the reference vectors hold. The two differ only outside
 * ASCII:
 * <ul>
 * <li>{@code tekken}: llama.cpp rewrites the Tekken pattern's upper/lower-case classes as "letter but not a–z"
 *     and "letter but not A–Z", and leaves combining marks ({@code \p{M}}) out of words. So non-ASCII letters
 *     count as both cases ({@code приветМир} stays one piece, {@code camelCaseÜber} splits as
 *     {@code camel|CaseÜber}), words break before every combining mark (Devanagari, Thai, vocalised Arabic,
 *     decomposed accents), and an emoji with VS16 and ZWJ stays one piece. On those strings Hugging Face and
 *     mistral-common split differently.</li>
 * <li>{@code pixtral}: the contractions {@code 's 't 're 've 'm 'll 'd} match ASCII letters of either case only,
 *     so {@code 'ſt} is not {@code 's} + {@code t} as a case-folding regex engine would make it.</li>
 * </ul>
 * Everything else follows llama.cpp as well: {@code \s} is Unicode White_Space, {@code \p{N}} every number
 * category, and code points outside the BMP are single characters. {@code docs/TOKENIZER.md} has the details and
 * the few deliberate departures from llama.cpp.
 */
package io.nemotron4j.engine.tokenizer;
