package io.nemotron4j.engine.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run one task at a time, each worker taking its own share. Dispatch allocates
 * nothing: the caller passes a reusable {@link Task}, workers spin briefly and then park between tasks, and the
 * calling thread does share 0 itself so a pool of n threads starts only n-1 workers.
 */
public final class WorkerPool implements AutoCloseable {

    /** Work split over the pool; {@code run} is called once per worker with its index. */
    @FunctionalInterface
    public interface Task {
        void run(int worker, int workers);
    }

    private static final int SPINS_BEFORE_PARK = 20_000;

    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile Task task;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** Creates a pool that splits work {@code threads} ways (the caller counts as one). */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("nemotron4j-worker-" + index).unstarted(() -> loop(index));
            workers[i].start();
        }
    }

    /** How many ways work is split. */
    public int size() {
        return workers.length + 1;
    }

    /** Runs {@code t} on every worker and returns when all are done; rethrows the first failure. */
    public synchronized void run(Task t) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        int n = size();
        if (n == 1) {
            t.run(0, 1);
            return;
        }
        task = t;
        failure = null;
        pending.set(n - 1);
        generation++;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable own = null;
        try {
            t.run(0, n);
        } catch (Throwable e) {
            own = e;
        }
        while (pending.get() != 0) {
            Thread.onSpinWait();
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

    private void loop(int index) {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                task.run(index, size());
            } catch (Throwable e) {
                failure = e;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
