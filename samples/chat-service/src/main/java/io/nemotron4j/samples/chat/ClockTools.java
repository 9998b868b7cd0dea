package io.nemotron4j.samples.chat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

/**
 * The service's tool: what time it is somewhere. Models cannot know the time, so this is a tool they genuinely need.
 */
@Component
public class ClockTools {

    /** The current date and time in the zone, or a message the model can act on when the zone is unknown. */
    @Tool(description = "The current date and time in a time zone, such as Europe/Paris or Asia/Tokyo")
    public String currentDateTime(@ToolParam(description = "An IANA time zone id, such as Europe/Paris") String timeZone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        }
        catch (RuntimeException ex) {
            // The model reads the answer: say what went wrong so it can correct the call.
            return "unknown time zone '" + timeZone + "'; use an IANA id such as Europe/Paris";
        }
        return ZonedDateTime.now(zone).format(DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH))
                + " in " + zone.getId();
    }
}
