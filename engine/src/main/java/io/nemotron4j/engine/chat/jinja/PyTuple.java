package io.nemotron4j.engine.chat.jinja;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A Python tuple: an immutable list that prints with parentheses and is never equal to a list. */
final class PyTuple extends AbstractList<Object> {

    private final List<Object> items;

    PyTuple(List<?> items) {
        this.items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    static PyTuple of(Object... items) {
        return new PyTuple(java.util.Arrays.asList(items));
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
