package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerPoolTest {

    /**
     * Back-to-back tasks with changing part counts: a worker that wakes up late for one task must not claim a
     * part of the next, so every part runs exactly once.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyPartRunsExactlyOnce(int threads) {
        AtomicIntegerArray hits = new AtomicIntegerArray(16);
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int round = 0; round < 100_000; round++) {
                int parts = 1 + round % 9;
                for (int p = 0; p < parts; p++) {
                    hits.set(p, 0);
                }
                pool.run((part, n) -> {
                    assertThat(n).isEqualTo(parts);
                    hits.incrementAndGet(part);
                }, parts);
                for (int p = 0; p < parts; p++) {
                    assertThat(hits.get(p)).as("round %d part %d", round, p).isOne();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFailingPartIsRethrownAndThePoolStaysUsable(int threads) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int failing = 0; failing < 4; failing++) {
                int bad = failing;
                assertThatThrownBy(() -> pool.run((part, n) -> {
                    if (part == bad) {
                        throw new IllegalStateException("part " + part);
                    }
                }, 4)).isInstanceOf(IllegalStateException.class).hasMessage("part " + bad);
            }
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            pool.run((part, n) -> hits.incrementAndGet(part), 4);
            assertThat(hits).hasToString("[1, 1, 1, 1]");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, WorkerPool.MAX_PARTS + 1})
    void partCountsOutOfRangeAreRejected(int parts) {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(() -> pool.run((part, n) -> { }, parts)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
