package dev.byok.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.emulator.Directories;
import java.io.UncheckedIOException;
import java.util.Map;

/** The body of the config API's validate and enable, for a key of the emulator's default directory. */
public final class KeyRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyRequests() {}

    public static Map<String, String> of(String keyUri) {
        return Map.of("keyUri", keyUri, "directoryId", Directories.DEFAULT_DIRECTORY);
    }

    public static String json(String keyUri) {
        try {
            return JSON.writeValueAsString(of(keyUri));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
