package io.nemotron4j.spring.admin;

import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * CSV (RFC 4180) and JSON-lines writing for the exports: one record per line, the header taken from the record's
 * component names.
 */
final class Exports {

    private Exports() {
    }

    /** The export formats. */
    enum Format {

        /** Comma-separated values with a header line. */
        CSV("text/csv", "csv"),
        /** One JSON object per line. */
        JSONL("application/x-ndjson", "jsonl");

        final String mediaType;

        final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        static Format of(@Nullable String name) {
            if ("csv".equals(name)) {
                return CSV;
            }
            if ("jsonl".equals(name)) {
                return JSONL;
            }
            throw InvalidInputException.of("format", "must be csv or jsonl");
        }

    }

    static void csvLine(Writer out, List<?> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            Object value = values.get(i);
            if (value != null) {
                String text = value.toString();
                if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                        || text.indexOf('\r') >= 0) {
                    out.write('"');
                    out.write(text.replace("\"", "\"\""));
                    out.write('"');
                }
                else {
                    out.write(text);
                }
            }
        }
        out.write("\r\n");
    }

    static List<String> header(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
            .map(RecordComponent::getName)
            .toList();
    }

    static List<@Nullable Object> values(Record row) {
        ArrayList<@Nullable Object> values = new ArrayList<>();
        for (var component : row.getClass().getRecordComponents()) {
            try {
                values.add(component.getAccessor().invoke(row));
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException("record accessor " + component.getName(), ex);
            }
        }
        return values;
    }

}
