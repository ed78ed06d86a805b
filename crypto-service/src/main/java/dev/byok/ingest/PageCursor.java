package dev.byok.ingest;

import dev.byok.service.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Where a page ended: (occurredAt, eventId), opaque to clients (base64url). */
record PageCursor(Instant occurredAt, String eventId) {
    static final PageCursor START = new PageCursor(Instant.EPOCH, "");

    String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((occurredAt + "|" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return START;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            return new PageCursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
        } catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new Problem(400, "Invalid cursor", "the 'after' cursor is not one this API returned");
        }
    }
}
