package dev.byok.model;

import java.util.Objects;

/**
 * One violated rule of an incoming event.
 *
 * @param field   the JSON field ({@code $} for the whole record)
 * @param rule    a stable rule code: {@code size}, {@code json}, {@code schema-version},
 *                {@code required}, {@code type}, {@code format}, {@code length}, {@code range},
 *                {@code unknown-field}
 * @param message a precise, payload-free explanation
 */
public record Violation(String field, String rule, String message) {
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
