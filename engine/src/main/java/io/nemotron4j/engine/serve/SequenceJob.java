package io.nemotron4j.engine.serve;

/**
 * One sequence as the {@link SequenceScheduler} drives it: a prompt to prefill, then, after every step, the logits
 * of its last token to choose what to feed next. All calls come from the scheduler's step thread, one at a time;
 * they should return quickly, since every running sequence waits for them.
 */
public interface SequenceJob {

    /** The prompt's token ids; at least one. */
    int[] prompt();

    /** The most tokens {@link #next} will feed in total; with the prompt, what the job's memory is reserved for. */
    int maxNewTokens();

    /**
     * How many leading prompt tokens other jobs are likely to share (the rendered system prompt, say), so that the
     * state after them is worth keeping for reuse; 0 for none.
     */
    default int sharedPrefixLength() {
        return 0;
    }

    /** Whether the job should stop: checked before every step; a cancelled job's memory is freed in that step. */
    boolean cancelled();

    /** The job was admitted: its memory is reserved and its prompt is about to be fed. */
    default void started() {
    }

    /**
     * Chooses what comes next, given the logits after the last fed token.
     *
     * @param logits {@code [vocab]}, the job's to modify, valid only during the call
     * @param feed where to write the tokens to feed next
     * @return how many tokens of {@code feed} to feed, or 0 to end the job
     */
    int next(float[] logits, int[] feed);

    /**
     * The job has ended, and its memory is free. Called exactly once, also for a job that never started (cancelled
     * while waiting, or the scheduler closed).
     *
     * @param failure what went wrong for {@link EndReason#FAILED}, else {@code null}
     */
    void ended(EndReason reason, Throwable failure);
}
