package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.WorkerPool;

/** The one mixer of a Nemotron-H block: reads the normalised input {@code ws.u}, writes {@code ws.mixed}. */
interface Mixer {

    /**
     * Mixes the batch's rows: each segment's tokens continue its sequence from {@code state.position()}, and the
     * sequence's state for this layer is updated. Matrix products go through {@code matmul} once for all rows;
     * other work may be split over {@code pool}.
     */
    void forward(ForwardBatch batch, Workspace ws, Matmul matmul, WorkerPool pool);
}
