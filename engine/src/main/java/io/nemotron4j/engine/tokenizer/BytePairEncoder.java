package io.nemotron4j.engine.tokenizer;

import io.nemotron4j.engine.gguf.GGUFException;

import java.util.HashMap;
import java.util.Map;

/**
 * Byte-pair encoding of one pre-tokenized piece, as llama.cpp does it: start from one symbol per byte, then
 * repeatedly join the adjacent pair whose merge has the lowest rank (the leftmost pair on ties) until no merge
 * applies. Symbols are held as ids in arrays linked both ways, and candidate pairs wait in a heap keyed by
 * (rank, position), so a long piece costs O(n log n) rather than a rescan after every merge.
 *
 * <p>Only entries that are not special (control, user-defined, unknown) take part: a byte string that happened to
 * spell a special token's text still comes out as ordinary tokens, so plain text can never produce a special id
 * by way of the merges. Strings that merges produce but the vocabulary lacks get ids above the vocabulary; a
 * symbol left with such an id at the end falls back to its single-byte tokens.
 */
final class BytePairEncoder {

    private final Map<String, Integer> ids;
    private final int vocabSize;
    private final int[] byteSymbols = new int[256];
    private final PairRanks ranks;
    private final int[] mergeResults;
    private final boolean ignoreMerges;
    private int nextSyntheticId;

    /**
     * @param texts the vocabulary, written in the byte-level alphabet (specials literally)
     * @param types the type of each entry
     * @param merges {@code "A B"} strings; the index is the rank
     * @param ignoreMerges whether a piece that is itself a vocabulary entry is emitted whole without merging
     *        (llama.cpp's rule for the {@code tekken} and {@code pixtral} pre-tokenizers)
     */
    BytePairEncoder(String[] texts, TokenType[] types, String[] merges, boolean ignoreMerges) throws GGUFException {
        this.vocabSize = texts.length;
        this.nextSyntheticId = texts.length;
        this.ignoreMerges = ignoreMerges;
        this.ids = HashMap.newHashMap(texts.length + 256);
        for (int id = 0; id < texts.length; id++) {
            if (!types[id].isSpecial()) {
                ids.put(texts[id], id);
            }
        }
        for (int b = 0; b < 256; b++) {
            byteSymbols[b] = intern(String.valueOf(ByteLevel.charOf(b)));
        }
        ranks = new PairRanks(merges.length);
        mergeResults = new int[merges.length];
        for (int rank = 0; rank < merges.length; rank++) {
            String merge = merges[rank];
            // Search from index 1, as llama.cpp does, so that a merge whose first part is a space still splits.
            int space = merge.indexOf(' ', 1);
            if (space < 0) {
                throw new GGUFException("tokenizer.ggml.merges entry " + rank + " (\"" + merge
                        + "\") is not two parts separated by a space");
            }
            String left = merge.substring(0, space);
            String right = merge.substring(space + 1);
            if (ranks.putIfAbsent(PairRanks.pair(intern(left), intern(right)), rank)) {
                mergeResults[rank] = intern(left + right);
            }
        }
    }

    private int intern(String text) {
        Integer id = ids.get(text);
        if (id == null) {
            id = nextSyntheticId++;
            ids.put(text, id);
        }
        return id;
    }

    /** Appends the ids of one piece (its UTF-8 bytes, not empty) to {@code out}. */
    void encode(byte[] piece, IntList out) {
        if (ignoreMerges) {
            Integer whole = ids.get(ByteLevel.encode(piece));
            if (whole != null && whole < vocabSize) {
                out.add(whole);
                return;
            }
        }
        int n = piece.length;
        int[] symbol = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            symbol[i] = byteSymbols[piece[i] & 0xFF];
            length[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap queue = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, symbol, i, i + 1);
        }
        while (!queue.isEmpty()) {
            long top = queue.pop();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            int right = length[left] == 0 ? -1 : next[left];
            // A queued pair is stale once either side has changed; the pair there now then has another rank.
            if (right < 0 || ranks.get(PairRanks.pair(symbol[left], symbol[right])) != rank) {
                continue;
            }
            symbol[left] = mergeResults[rank];
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[left] >= 0) {
                prev[next[left]] = left;
                offer(queue, symbol, left, next[left]);
            }
            if (prev[left] >= 0) {
                offer(queue, symbol, prev[left], left);
            }
        }
        for (int i = 0; i >= 0; i = next[i]) {
            if (symbol[i] < vocabSize) {
                out.add(symbol[i]);
            } else {
                for (int j = i; j < i + length[i]; j++) {
                    int single = byteSymbols[piece[j] & 0xFF];
                    if (single < vocabSize) {
                        out.add(single);
                    }
                }
            }
        }
    }

    private void offer(LongHeap queue, int[] symbol, int left, int right) {
        int rank = ranks.get(PairRanks.pair(symbol[left], symbol[right]));
        if (rank >= 0) {
            queue.push(((long) rank << 32) | left);
        }
    }
}
