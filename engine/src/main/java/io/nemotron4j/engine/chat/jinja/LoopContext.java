package io.nemotron4j.engine.chat.jinja;

import java.util.List;

/** The {@code loop} variable of a {@code for} block. */
final class LoopContext {

    private final List<Object> items;
    private int index0;
    private Object lastChanged = Args.MISSING;

    LoopContext(List<Object> items) {
        this.items = items;
    }

    void moveTo(int index) {
        index0 = index;
    }

    int index0() {
        return index0;
    }

    int length() {
        return items.size();
    }

    Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.because("there is no previous item");
            case "nextitem" -> index0 < n - 1 ? items.get(index0 + 1) : Undefined.because("there is no next item");
            case "cycle" -> (JinjaCallable) args -> {
                if (args.positional().isEmpty()) {
                    throw PyError.type("no items for cycling given");
                }
                return args.positional().get(index0 % args.positional().size());
            };
            case "changed" -> (JinjaCallable) args -> {
                Object value = new PyTuple(args.positional());
                boolean changed = lastChanged == Args.MISSING || !Py.eq(lastChanged, value);
                lastChanged = value;
                return changed;
            };
            default -> Undefined.member(this, name);
        };
    }
}
