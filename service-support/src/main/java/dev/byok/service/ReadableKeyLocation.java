package dev.byok.service;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A key location the service must read at start: a file path or {@code file:} URI is refused, naming the path, when
 * it is not a readable file. Other locations (a {@code classpath:} resource, an {@code https:} JWKS) are left to
 * the JWT library.
 */
public final class ReadableKeyLocation implements Converter<String> {
    @Override
    public String convert(String value) {
        String location = value.trim();
        Path file;
        if (location.startsWith("file:")) {
            file = Path.of(URI.create(location));
        } else if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !location.matches("^[a-zA-Z]:\\\\.*")) {
            return location;
        } else {
            file = Path.of(location);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("no readable file at " + file);
        }
        return location;
    }
}
