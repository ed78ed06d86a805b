package dev.byok.local;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** An ISO-8601 duration option (PT30S, PT1H); anything else is a bad value. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an ISO-8601 duration such as PT30S or PT1H");
        }
    }
}
