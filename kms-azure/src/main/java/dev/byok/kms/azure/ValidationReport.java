package dev.byok.kms.azure;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of every {@link ValidationCheck} for one key URI, in a fixed order. A check that
 * could not run (because an earlier one made it impossible) is {@code NOT_CHECKED} with the reason.
 */
public record ValidationReport(String keyUri, List<Result> results) {
    public enum Status {
        PASSED,
        FAILED,
        NOT_CHECKED
    }

    /** One check: its status, what was found, and (when failed) what the admin can do. */
    public record Result(ValidationCheck check, Status status, String detail, Optional<String> remedy) {
        public Result {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(remedy, "remedy");
        }
    }

    public ValidationReport {
        results = List.copyOf(results);
    }

    /** A key refused before any call to its vault: {@code check} failed with {@code detail}, the rest was not checked. */
    public static ValidationReport refused(String keyUri, ValidationCheck check, String detail) {
        return new Builder().fail(check, detail).build(keyUri, "not checked: " + detail);
    }

    /** Whether every check passed: only then may BYOK be enabled. */
    public boolean passed() {
        return results.stream().allMatch(r -> r.status() == Status.PASSED);
    }

    public List<Result> failures() {
        return results.stream().filter(r -> r.status() == Status.FAILED).toList();
    }

    public Result result(ValidationCheck check) {
        return results.stream().filter(r -> r.check() == check).findFirst().orElseThrow();
    }

    /** Collects results while the validator runs; unset checks end as NOT_CHECKED. */
    static final class Builder {
        private final Map<ValidationCheck, Result> results = new EnumMap<>(ValidationCheck.class);

        Builder pass(ValidationCheck check, String detail) {
            results.put(check, new Result(check, Status.PASSED, detail, Optional.empty()));
            return this;
        }

        Builder fail(ValidationCheck check, String detail) {
            results.put(check, new Result(check, Status.FAILED, detail, Optional.of(check.remedy())));
            return this;
        }

        Builder passIfUnset(ValidationCheck check, String detail) {
            results.putIfAbsent(check, new Result(check, Status.PASSED, detail, Optional.empty()));
            return this;
        }

        boolean failed(ValidationCheck check) {
            Result r = results.get(check);
            return r != null && r.status() == Status.FAILED;
        }

        ValidationReport build(String keyUri, String notCheckedReason) {
            for (ValidationCheck check : ValidationCheck.values()) {
                results.putIfAbsent(check, new Result(check, Status.NOT_CHECKED, notCheckedReason, Optional.empty()));
            }
            return new ValidationReport(keyUri, List.copyOf(results.values()));
        }
    }
}
