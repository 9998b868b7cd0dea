package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.WorkerPool;

/** The one mixer of a Nemotron-H block: reads the normalised input {@code ws.u}, writes {@code ws.mixed}. */
interface Mixer {

    /**
     * Mixes {@code tokens} consecutive tokens of one sequence, the first at {@code state.position()}, updating the
     * sequence's state for this layer. Matrix products go through {@code matmul}; other work may be split over
     * {@code pool}.
     */
    void forward(SequenceState state, Workspace ws, int tokens, Matmul matmul, WorkerPool pool);
}
