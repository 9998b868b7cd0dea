package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.Matmul;

/** The one mixer of a Nemotron-H block: reads the normalised input {@code ws.u}, writes {@code ws.mixed}. */
interface Mixer {

    /**
     * Mixes {@code tokens} consecutive tokens of one sequence, the first at {@code state.position()}, updating the
     * sequence's state for this layer.
     */
    void forward(SequenceState state, Workspace ws, int tokens, Matmul matmul);
}
