package io.nemotron4j.spring.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code text/event-stream} body by the rules browsers' {@code EventSource} follows (WHATWG HTML, "Server-sent
 * events", interpreting an event stream), so a test sees exactly what a standard client would see, including the one
 * space after the colon that the standard drops.
 */
public final class EventStreamParser {

    /**
     * One dispatched event.
     * @param name the event type ({@code message} when the stream names none)
     * @param data the data lines joined by line feeds
     */
    public record Event(String name, String data) {
    }

    private EventStreamParser() {
    }

    /**
     * The events of a whole stream, in order. A final event without its blank line is not dispatched, as in a
     * browser.
     * @param body the stream's text
     * @return the dispatched events
     */
    public static List<Event> parse(String body) {
        List<Event> events = new ArrayList<>();
        String name = "";
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        for (String line : body.split("\r\n|\r|\n", -1)) {
            if (line.isEmpty()) {
                if (hasData) {
                    events.add(new Event(name.isEmpty() ? "message" : name, data.toString()));
                }
                name = "";
                data.setLength(0);
                hasData = false;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = (colon < 0) ? line : line.substring(0, colon);
            String value = (colon < 0) ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> {
                    if (hasData) {
                        data.append('\n');
                    }
                    data.append(value);
                    hasData = true;
                }
                default -> {
                    // id, retry and unknown fields do not matter to these tests.
                }
            }
        }
        return events;
    }

}
