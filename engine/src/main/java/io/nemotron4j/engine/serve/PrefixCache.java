package io.nemotron4j.engine.serve;

import io.nemotron4j.engine.model.NemotronHModel;
import io.nemotron4j.engine.model.SequenceState;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sequence states after prompt prefixes that many requests share, kept so that such a prefix is prefilled once: a
 * later prompt starting with the same tokens copies the snapshot and goes on from there. Mamba states cannot be
 * rewound, so a snapshot serves exactly its own prefix. Bounded by bytes, least recently used dropped first. Used
 * by the scheduler's step thread only.
 */
final class PrefixCache {

    private final NemotronHModel model;
    private final long maxBytes;
    private final LinkedHashMap<Key, SequenceState> entries = new LinkedHashMap<>(16, 0.75f, true);
    private volatile long bytes;

    PrefixCache(NemotronHModel model, long maxBytes) {
        this.model = model;
        this.maxBytes = maxBytes;
    }

    /** Bytes the snapshots hold. */
    long bytes() {
        return bytes;
    }

    /** Copies the snapshot of {@code prompt[0..length)} into {@code target}; false when there is none. */
    boolean restore(int[] prompt, int length, SequenceState target) {
        SequenceState snapshot = entries.get(new Key(Arrays.copyOf(prompt, length)));
        if (snapshot == null) {
            return false;
        }
        target.copyFrom(snapshot);
        return true;
    }

    /** Keeps a copy of {@code state}, which has just consumed {@code prompt[0..state.position())}, if it fits. */
    void store(int[] prompt, SequenceState state) {
        long size = SequenceState.bytesFor(model.config(), state.position());
        if (size > maxBytes) {
            return;
        }
        Key key = new Key(Arrays.copyOf(prompt, state.position()));
        if (entries.containsKey(key)) {
            return;
        }
        long held = bytes;
        for (Iterator<Map.Entry<Key, SequenceState>> it = entries.entrySet().iterator();
                it.hasNext() && held + size > maxBytes;) {
            held -= SequenceState.bytesFor(model.config(), it.next().getValue().position());
            it.remove();
        }
        SequenceState snapshot = model.newState();
        snapshot.copyFrom(state);
        entries.put(key, snapshot);
        bytes = held + size;
    }

    /** A prefix of tokens, compared by content. */
    private record Key(int[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(tokens, k.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }
}
