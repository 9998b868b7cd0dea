package io.nemotron4j.engine.serve;

import io.nemotron4j.engine.model.ForwardBatch;
import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.SequenceState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs many sequences on one model together (continuous batching). A step thread repeats one forward step after
 * another; each step decodes one token for every running sequence and, in the rows left over, prefills up to
 * {@link SchedulerOptions#prefillTokensPerStep()} tokens of newly admitted prompts, so a long prompt coming in
 * delays running streams by a bounded amount per token instead of stalling them. The matrix products of a step read
 * the weights once for all its rows, which on a memory-bound machine makes several streams cost little more than
 * one.
 *
 * <p>Admission is by memory: a job reserves its Mamba state and the KV cache that its prompt plus its token limit
 * can grow to ({@link SequenceState#bytesFor}), and is admitted while the reservations fit
 * {@link SchedulerOptions#memoryBudgetBytes()} and fewer than {@link SchedulerOptions#maxSequences()} run. Others
 * wait in a bounded queue, highest priority first and first come, first served within a priority; beyond the
 * queue, {@link #submit} refuses at once with {@link SchedulerBusyException}. Admitted sequences never allocate
 * past their reservation, so the budget, not the heap, is what runs out.
 *
 * <p>A job that asks to stop, or whose timeout passes, ends in the next step and its memory is released then.
 * Jobs that declare a {@link SequenceJob#sharedPrefixLength() shared prefix} reuse the state snapshotted after it
 * by an earlier job with the same prefix tokens (bounded by {@link SchedulerOptions#prefixCacheBytes()}).
 */
public final class SequenceScheduler implements AutoCloseable {

    /** Room for the tokens one {@link SequenceJob#next} call may feed. */
    public static final int MAX_FEED = 256;

    /** Weight of the newest step in the smoothed throughput. */
    private static final double SMOOTHING = 0.1;

    private final NemotronHModel model;
    private final SchedulerOptions options;
    private final int vocab;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** Guarded by {@code lock}: jobs waiting for admission. */
    private final PriorityQueue<Entry> waiting = new PriorityQueue<>(
            Comparator.comparingInt((Entry e) -> -e.priority).thenComparingLong(e -> e.order));
    /** Guarded by {@code lock}: jobs admitted (memory reserved) that the step thread has not picked up yet. */
    private final List<Entry> admitted = new ArrayList<>();
    /** Guarded by {@code lock}. */
    private long reserved;
    /** Guarded by {@code lock}: admitted and running jobs. */
    private int active;
    /** Guarded by {@code lock}. */
    private long submitted;
    /** Guarded by {@code lock}. */
    private boolean closed;
    /** Guarded by {@code lock}: smoothed seconds from admission to end, for the retry-after hint. */
    private double secondsPerJob = 1;

    /** Step thread only. */
    private final List<Entry> running = new ArrayList<>();
    private final ForwardBatch batch;
    private final Entry[] logitOwners;
    private final float[] logits;
    private final float[] row;
    private final PrefixCache prefixes;
    private final Thread thread;

    private volatile int lastBatchSequences;
    private volatile int lastBatchTokens;
    private final LongAdder steps = new LongAdder();
    private final LongAdder generated = new LongAdder();
    private final LongAdder prefilled = new LongAdder();
    private final LongAdder prefixHits = new LongAdder();
    private final LongAdder finished = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile double tokensPerSecond;
    private volatile double streamsPerStep;

    /**
     * Starts the step thread for {@code model}. The scheduler must be the model's only user while it runs.
     *
     * @throws IllegalArgumentException if {@code maxSequences} exceeds the rows one step holds (the model's
     *     prefill chunk)
     */
    public SequenceScheduler(NemotronHModel model, SchedulerOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.batch = model.newBatch();
        if (options.maxSequences() > batch.capacity()) {
            throw new IllegalArgumentException("maxSequences is " + options.maxSequences() + " but one step holds "
                    + batch.capacity() + " tokens (the engine's prefill chunk); lower it or raise the chunk");
        }
        this.vocab = model.config().vocabSize();
        this.logitOwners = new Entry[options.maxSequences()];
        this.logits = new float[options.maxSequences() * vocab];
        this.row = new float[vocab];
        this.prefixes = new PrefixCache(model, options.prefixCacheBytes());
        this.thread = Thread.ofPlatform().daemon().name("nemotron4j-scheduler").unstarted(this::loop);
        thread.start();
    }

    public SchedulerOptions options() {
        return options;
    }

    /** The bytes a job with this prompt length and token limit reserves. */
    public long reservationBytes(int promptTokens, int maxNewTokens) {
        long positions = Math.min((long) promptTokens + maxNewTokens, model.config().contextLength());
        return SequenceState.bytesFor(model.config(), (int) positions);
    }

    /**
     * Admits the job now if memory and a sequence slot are free, else queues it.
     *
     * @param priority higher goes first among waiting jobs; equal priorities are served in arrival order
     * @param timeout how long the job may wait and run together, or {@code null} for no limit
     * @throws SchedulerBusyException if the job would have to wait and the queue is full
     * @throws IllegalArgumentException if the prompt is empty or longer than the context, or the job alone needs
     *     more memory than the budget
     * @throws IllegalStateException if the scheduler is closed
     */
    public void submit(SequenceJob job, int priority, Duration timeout) {
        Objects.requireNonNull(job, "job");
        int[] prompt = job.prompt();
        int context = model.config().contextLength();
        if (prompt.length < 1 || prompt.length > context) {
            throw new IllegalArgumentException(String.format(
                    "the prompt has %,d tokens; it needs at least 1 and the context holds %,d", prompt.length, context));
        }
        if (job.maxNewTokens() < 0) {
            throw new IllegalArgumentException("maxNewTokens must be 0 or more, got " + job.maxNewTokens());
        }
        long bytes = reservationBytes(prompt.length, job.maxNewTokens());
        if (bytes > options.memoryBudgetBytes()) {
            throw new IllegalArgumentException(String.format(
                    "this request needs %,d bytes of sequence memory (%,d prompt tokens + %,d new) but the memory "
                            + "budget is %,d; shorten it, lower its token limit or raise the budget",
                    bytes, prompt.length, job.maxNewTokens(), options.memoryBudgetBytes()));
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the scheduler is closed");
            }
            Entry entry = new Entry(job, priority, submitted++, deadline, bytes);
            if (waiting.isEmpty() && fits(bytes)) {
                admit(entry);
            } else if (waiting.size() < options.queueSize()) {
                waiting.add(entry);
            } else {
                refused.increment();
                Duration retry = retryAfter();
                throw new SchedulerBusyException(String.format(
                        "%d sequences are running (%,d of %,d bytes reserved) and %d requests are waiting, the most "
                                + "the queue holds; retry in about %d s",
                        active, reserved, options.memoryBudgetBytes(), waiting.size(), retry.toSeconds()), retry);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the scheduler's state and counters. */
    public SchedulerMetrics metrics() {
        int queued;
        int activeNow;
        long reservedNow;
        lock.lock();
        try {
            queued = waiting.size();
            activeNow = active;
            reservedNow = reserved;
        } finally {
            lock.unlock();
        }
        double tps = tokensPerSecond;
        double streams = streamsPerStep;
        return new SchedulerMetrics(queued, activeNow, lastBatchSequences, lastBatchTokens, reservedNow,
                options.memoryBudgetBytes(), prefixes.bytes(), steps.sum(), generated.sum(), prefilled.sum(),
                prefixHits.sum(), finished.sum(), cancelled.sum(), failed.sum(), refused.sum(), tps,
                streams > 0 ? tps / streams : 0);
    }

    /**
     * Ends every job with {@link EndReason#SHUT_DOWN} (after the step in progress), stops the step thread and
     * refuses new jobs. The model stays open.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean fits(long bytes) {
        return active < options.maxSequences() && reserved + bytes <= options.memoryBudgetBytes();
    }

    /** Reserves the entry's memory and hands it to the step thread. Caller holds the lock. */
    private void admit(Entry entry) {
        reserved += entry.bytes;
        active++;
        admitted.add(entry);
        work.signal();
    }

    /** About how long until the requests ahead are through, at least a second. */
    private Duration retryAfter() {
        double rounds = Math.ceil((waiting.size() + 1.0) / options.maxSequences());
        return Duration.ofSeconds(Math.max(1, Math.round(secondsPerJob * rounds)));
    }

    private void loop() {
        List<Entry> starting = new ArrayList<>();
        List<Entry> expired = new ArrayList<>();
        while (true) {
            boolean shutDown;
            lock.lock();
            try {
                while (!closed && admitted.isEmpty() && running.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                shutDown = closed;
                starting.addAll(admitted);
                admitted.clear();
                long now = System.nanoTime();
                for (Iterator<Entry> it = waiting.iterator(); it.hasNext();) {
                    Entry e = it.next();
                    if (shutDown || e.job.cancelled() || now - e.deadline >= 0) {
                        it.remove();
                        expired.add(e);
                    }
                }
            } finally {
                lock.unlock();
            }
            for (Entry e : expired) {
                end(e, shutDown ? EndReason.SHUT_DOWN : e.job.cancelled() ? EndReason.CANCELLED : EndReason.TIMED_OUT,
                        null, false);
            }
            expired.clear();
            for (Entry e : starting) {
                start(e);
            }
            starting.clear();
            if (shutDown) {
                for (Entry e : List.copyOf(running)) {
                    end(e, EndReason.SHUT_DOWN, null, true);
                }
                return;
            }
            dropStopped();
            if (!running.isEmpty()) {
                step();
            }
        }
    }

    /** Gives an admitted job its sequence state, from a prefix snapshot where one matches. */
    private void start(Entry e) {
        try {
            e.startedNanos = System.nanoTime();
            e.state = model.newState();
            e.source = e.job.prompt();
            e.end = e.source.length;
            e.limit = (int) Math.min((long) e.end + e.job.maxNewTokens(), model.config().contextLength());
            int prefix = Math.min(e.job.sharedPrefixLength(), e.end - 1);
            if (prefix > 0 && options.prefixCacheBytes() > 0) {
                if (prefixes.restore(e.source, prefix, e.state)) {
                    prefixHits.increment();
                    e.pos = prefix;
                } else {
                    e.snapshotAt = prefix;
                }
            }
            running.add(e);
            e.job.started();
        } catch (RuntimeException | Error failure) {
            running.remove(e);
            end(e, EndReason.FAILED, failure, true);
        }
    }

    /** Ends running jobs that asked to stop or ran out of time, before they cost another step. */
    private void dropStopped() {
        long now = System.nanoTime();
        for (int i = running.size() - 1; i >= 0; i--) {
            Entry e = running.get(i);
            if (e.job.cancelled()) {
                end(e, EndReason.CANCELLED, null, true);
            } else if (now - e.deadline >= 0) {
                end(e, EndReason.TIMED_OUT, null, true);
            }
        }
    }

    /** One forward step: every decoding sequence's next tokens first, then prompt chunks in admission order. */
    private void step() {
        batch.clear();
        int owners = 0;
        for (Entry e : running) {
            if (e.decoding) {
                owners = add(e, e.end - e.pos, owners);
            }
        }
        int prefillBudget = Math.min(options.prefillTokensPerStep(), batch.remaining());
        for (Entry e : running) {
            if (!e.decoding && prefillBudget > 0) {
                int n = Math.min(prefillBudget, e.end - e.pos);
                if (e.snapshotAt > e.pos) {
                    n = Math.min(n, e.snapshotAt - e.pos);
                }
                prefillBudget -= n;
                prefilled.add(n);
                owners = add(e, n, owners);
            }
        }
        if (batch.size() == 0) {
            return;
        }
        int sequences = batch.size();
        int tokens = batch.rows();
        long t0 = System.nanoTime();
        try {
            model.forward(batch, logits);
        } catch (RuntimeException | Error failure) {
            // A pass that failed part way may have advanced some states; none of them can go on.
            for (Entry e : List.copyOf(running)) {
                if (e.inBatch) {
                    end(e, EndReason.FAILED, failure, true);
                }
            }
            return;
        }
        for (Entry e : running) {
            if (e.inBatch) {
                e.inBatch = false;
                e.pos += e.batched;
                if (e.snapshotAt > 0 && e.pos == e.snapshotAt) {
                    prefixes.store(e.source, e.state);
                    e.snapshotAt = 0;
                }
            }
        }
        int chosen = 0;
        int streams = 0;
        for (int o = 0; o < owners; o++) {
            Entry e = logitOwners[o];
            logitOwners[o] = null;
            streams += e.decoding ? 1 : 0;
            System.arraycopy(logits, o * vocab, row, 0, vocab);
            int n;
            try {
                n = e.job.next(row, e.feed);
            } catch (RuntimeException | Error failure) {
                end(e, EndReason.FAILED, failure, true);
                continue;
            }
            if (n <= 0) {
                end(e, EndReason.FINISHED, null, true);
                continue;
            }
            chosen++;
            if (n > e.feed.length || e.state.position() + n > e.limit) {
                end(e, EndReason.FAILED, new IllegalStateException("the job fed " + n + " tokens at position "
                        + e.state.position() + ", past the " + e.limit + " its memory was reserved for"), true);
                continue;
            }
            e.decoding = true;
            e.source = e.feed;
            e.pos = 0;
            e.end = n;
        }
        long nanos = System.nanoTime() - t0;
        steps.increment();
        generated.add(chosen);
        lastBatchSequences = sequences;
        lastBatchTokens = tokens;
        if (streams > 0) {
            double rate = chosen / (nanos / 1e9);
            tokensPerSecond = tokensPerSecond == 0 ? rate : tokensPerSecond + SMOOTHING * (rate - tokensPerSecond);
            streamsPerStep = streamsPerStep == 0 ? streams : streamsPerStep + SMOOTHING * (streams - streamsPerStep);
        }
    }

    /** Puts up to {@code count} of the entry's pending tokens into the batch; returns the new owner count. */
    private int add(Entry e, int count, int owners) {
        int n = Math.min(count, batch.remaining());
        if (n <= 0) {
            return owners;
        }
        boolean wantsLogits = e.pos + n == e.end;
        batch.add(e.state, e.source, e.pos, n, wantsLogits);
        e.inBatch = true;
        e.batched = n;
        if (wantsLogits) {
            logitOwners[owners++] = e;
        }
        return owners;
    }

    /** Ends a job: releases its memory, admits waiting jobs into it, and tells the job. */
    private void end(Entry e, EndReason reason, Throwable failure, boolean wasAdmitted) {
        if (wasAdmitted) {
            running.remove(e);
            e.state = null;
            lock.lock();
            try {
                reserved -= e.bytes;
                active--;
                if (e.startedNanos != 0) {
                    double seconds = (System.nanoTime() - e.startedNanos) / 1e9;
                    secondsPerJob += SMOOTHING * (seconds - secondsPerJob);
                }
                while (!waiting.isEmpty() && fits(waiting.peek().bytes)) {
                    admit(waiting.poll());
                }
            } finally {
                lock.unlock();
            }
        }
        switch (reason) {
            case FINISHED -> finished.increment();
            case CANCELLED, TIMED_OUT, SHUT_DOWN -> cancelled.increment();
            case FAILED -> failed.increment();
        }
        try {
            e.job.ended(reason, failure);
        } catch (RuntimeException ignored) {
            // The job is gone either way; one that fails to hear it must not stop the others.
        }
    }

    /** A job and, once it runs, its sequence. */
    private static final class Entry {
        final SequenceJob job;
        final int priority;
        final long order;
        final long deadline;
        final long bytes;
        final int[] feed = new int[MAX_FEED];
        long startedNanos;
        SequenceState state;
        /** The tokens to feed: the prompt, then what {@link SequenceJob#next} chose. */
        int[] source;
        int pos;
        int end;
        /** The most positions the reservation covers. */
        int limit;
        boolean decoding;
        /** Prompt position after which to snapshot the state for reuse, 0 for none. */
        int snapshotAt;
        boolean inBatch;
        int batched;

        Entry(SequenceJob job, int priority, long order, long deadline, long bytes) {
            this.job = job;
            this.priority = priority;
            this.order = order;
            this.deadline = deadline;
            this.bytes = bytes;
        }
    }
}
