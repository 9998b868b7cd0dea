package io.nemotron4j.engine.model;

import java.util.Objects;

/**
 * The work of one forward step over several sequences: for each sequence a run of consecutive tokens (one for a
 * decode step, a chunk of a prompt for prefill), whether its last token's logits are wanted. The runs are stacked
 * as rows, so every matrix product of the step reads its weights once for all of them, while the Mamba scan, the
 * conv window and attention run per sequence on that sequence's own state.
 *
 * <p>A batch is reusable: {@link #clear()} and fill it again each step; it allocates nothing after construction.
 * It holds at most {@link #capacity()} tokens, which {@link NemotronHModel#newBatch()} sets to the model's
 * {@link EngineOptions#prefillChunk()}.
 */
public final class ForwardBatch {

    private final int capacity;
    private final int[] tokens;
    private final SequenceState[] states;
    private final int[] rowStart;
    private final int[] rowCount;
    private final boolean[] wantLogits;
    private int segments;
    private int rows;
    private int logitRows;

    ForwardBatch(int capacity) {
        this.capacity = capacity;
        this.tokens = new int[capacity];
        this.states = new SequenceState[capacity];
        this.rowStart = new int[capacity];
        this.rowCount = new int[capacity];
        this.wantLogits = new boolean[capacity];
    }

    /** The most tokens one batch holds, all sequences together. */
    public int capacity() {
        return capacity;
    }

    /** Tokens still free in this batch. */
    public int remaining() {
        return capacity - rows;
    }

    /** Tokens in the batch, all sequences together. */
    public int rows() {
        return rows;
    }

    /** Sequences in the batch. */
    public int size() {
        return segments;
    }

    /** How many sequences want logits: the rows of the logits array a forward step fills. */
    public int logitRows() {
        return logitRows;
    }

    /** Empties the batch (and lets go of its states). */
    public void clear() {
        java.util.Arrays.fill(states, 0, segments, null);
        segments = 0;
        rows = 0;
        logitRows = 0;
    }

    /**
     * Adds {@code tokens[offset .. offset+count)} as the next tokens of {@code state}.
     *
     * @param wantLogits whether the step returns the logits after the last of these tokens; such sequences get
     *     rows of the logits array in the order they were added
     * @throws IllegalArgumentException if the tokens do not fit the batch or the state is already in it
     */
    public void add(SequenceState state, int[] tokens, int offset, int count, boolean wantLogits) {
        Objects.requireNonNull(state, "state");
        Objects.checkFromIndexSize(offset, count, tokens.length);
        if (count < 1) {
            throw new IllegalArgumentException("no tokens to add");
        }
        if (count > remaining()) {
            throw new IllegalArgumentException(
                    count + " tokens do not fit: the batch has room for " + remaining() + " of " + capacity);
        }
        for (int s = 0; s < segments; s++) {
            if (states[s] == state) {
                throw new IllegalArgumentException("this sequence is already in the batch");
            }
        }
        System.arraycopy(tokens, offset, this.tokens, rows, count);
        states[segments] = state;
        rowStart[segments] = rows;
        rowCount[segments] = count;
        this.wantLogits[segments] = wantLogits;
        segments++;
        rows += count;
        logitRows += wantLogits ? 1 : 0;
    }

    SequenceState state(int segment) {
        return states[segment];
    }

    /** The row of the segment's first token. */
    int first(int segment) {
        return rowStart[segment];
    }

    int count(int segment) {
        return rowCount[segment];
    }

    boolean wantsLogits(int segment) {
        return wantLogits[segment];
    }

    int token(int row) {
        return tokens[row];
    }
}
