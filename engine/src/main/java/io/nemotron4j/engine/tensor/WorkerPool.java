package io.nemotron4j.engine.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run one task at a time, split into parts that the calling thread and the workers
 * claim one by one. Dispatch allocates nothing: the caller passes a reusable {@link Task}, and workers spin
 * briefly and then park between tasks, so a pool of n threads starts n-1 workers.
 *
 * <p>Parts are claimed, not assigned: the caller starts on the parts at once and never waits for a worker that
 * has not woken up yet (it only waits for parts already under way). On a machine busy with other processes a
 * descheduled worker therefore costs some parallelism, not a scheduler time slice per task; on an idle one every
 * thread takes its even share. A decode step dispatches about 200 tasks, so this matters.
 */
public final class WorkerPool implements AutoCloseable {

    /** Work split into parts; {@code run} is called once per part, on whichever thread claimed it. */
    @FunctionalInterface
    public interface Task {
        void run(int part, int parts);
    }

    /** How long an idle worker spins before parking: longer than the gaps between a decode step's matmuls. */
    private static final long SPIN_NANOS = 50_000;

    private static final int SPINS_PER_CLOCK_READ = 64;

    /** The caller's spins on parts still running elsewhere before it starts yielding its core to them. */
    private static final int SPINS_BEFORE_YIELD = 1 << 14;

    /** The most parts a task may have: the part counter and the part count share the claims word. */
    static final int MAX_PARTS = 0xFFFF;

    private final Worker[] workers;

    /**
     * The current task's generation (bits 32-63), its part count (16-31) and its next unclaimed part (0-15), in
     * one word, so that a claim checks all three at once and a worker that woke up late for an older task can
     * never claim a part of a newer one.
     */
    private final AtomicLong claims = new AtomicLong();

    /** Parts of the current task finished so far. */
    private final AtomicInteger finished = new AtomicInteger();

    private volatile Task task;
    private volatile int parts;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** A worker thread and whether it is (about to be) parked, so that run() unparks only those that are. */
    private final class Worker implements Runnable {
        final Thread thread;
        volatile boolean parked;

        Worker(int index) {
            thread = Thread.ofPlatform().daemon().name("nemotron4j-worker-" + index).unstarted(this);
        }

        @Override
        public void run() {
            loop(this);
        }
    }

    /** Creates a pool that splits work {@code threads} ways (the caller counts as one). */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread.start();
        }
    }

    /** How many threads share the work, the caller included. */
    public int size() {
        return workers.length + 1;
    }

    /** Runs {@code t} in {@link #size()} parts; see {@link #run(Task, int)}. */
    public void run(Task t) {
        run(t, size());
    }

    /**
     * Runs parts {@code 0 .. parts-1} of {@code t}, each once, on the calling thread and the workers, and returns
     * when all are done; rethrows the first failure. A task must not itself call {@code run}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= parts <= }{@value #MAX_PARTS}
     */
    public synchronized void run(Task t, int parts) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (parts < 1 || parts > MAX_PARTS) {
            throw new IllegalArgumentException("parts must be between 1 and " + MAX_PARTS + ", got " + parts);
        }
        if (workers.length == 0 || parts == 1) {
            for (int p = 0; p < parts; p++) {
                t.run(p, parts);
            }
            return;
        }
        task = t;
        this.parts = parts;
        failure = null;
        finished.set(0);
        int generation = (int) (claims.get() >>> 32) + 1;
        claims.set((long) generation << 32 | (long) parts << 16);
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w.thread);
            }
        }
        Throwable own = null;
        int done = 0;
        for (int p; (p = claim(generation)) >= 0; done++) {
            try {
                t.run(p, parts);
            } catch (Throwable e) {
                own = own == null ? e : own;
            }
        }
        finished.addAndGet(done);
        for (int spins = 0; finished.get() != parts; spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        task = null;
        Throwable first = own != null ? own : failure;
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
    }

    /** The next part of task {@code generation}, or -1 when it has none left or a newer task has started. */
    private int claim(int generation) {
        while (true) {
            long c = claims.get();
            int next = (int) c & 0xFFFF;
            if ((int) (c >>> 32) != generation || next >= ((int) c >>> 16 & 0xFFFF)) {
                return -1;
            }
            if (claims.compareAndSet(c, c + 1)) {
                return next;
            }
        }
    }

    private void loop(Worker self) {
        int seen = 0;
        while (true) {
            int generation = await(self, seen);
            if (closed) {
                return;
            }
            seen = generation;
            int done = 0;
            for (int p; (p = claim(generation)) >= 0; done++) {
                // Read only now: the caller cannot replace the task while a part of it is claimed and unfinished.
                Task t = task;
                try {
                    t.run(p, parts);
                } catch (Throwable e) {
                    failure = e;
                }
            }
            if (done > 0) {
                finished.addAndGet(done);
            }
        }
    }

    /** Waits until a task newer than {@code seen} starts or the pool closes; returns the newest generation. */
    private int await(Worker self, int seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        for (int spins = 1; ; spins++) {
            int generation = (int) (claims.get() >>> 32);
            if (generation != seen || closed) {
                return generation;
            }
            if (spins % SPINS_PER_CLOCK_READ != 0 || System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            // Announce the park before re-checking, so that run() either sees the flag or we see its task.
            self.parked = true;
            if ((int) (claims.get() >>> 32) == seen && !closed) {
                LockSupport.park(this);
            }
            self.parked = false;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }
}
