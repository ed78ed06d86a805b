package dev.byok.kms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of every check of one key URI, in the provider's fixed order. A check that could not
 * run (because an earlier one made it impossible) is {@code NOT_CHECKED} with the reason.
 */
public record KeyValidationReport(String keyUri, List<Result> results) {
    public enum Status {
        PASSED,
        FAILED,
        NOT_CHECKED
    }

    /** One check: its status, what was found, and (when failed) what the admin can do. */
    public record Result(KeyCheck check, Status status, String detail, Optional<String> remedy) {
        public Result {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(remedy, "remedy");
        }
    }

    public KeyValidationReport {
        results = List.copyOf(results);
    }

    /** Whether every check passed: only then may BYOK be enabled. */
    public boolean passed() {
        return results.stream().allMatch(r -> r.status() == Status.PASSED);
    }

    public List<Result> failures() {
        return results.stream().filter(r -> r.status() == Status.FAILED).toList();
    }

    public Result result(KeyCheck check) {
        return results.stream().filter(r -> r.check() == check).findFirst().orElseThrow();
    }

    /** Collects results while a validator runs; checks left unset end as NOT_CHECKED. */
    public static final class Builder {
        private final List<? extends KeyCheck> all;
        private final Map<KeyCheck, Result> results = new LinkedHashMap<>();

        /** @param all every check the provider runs, in report order */
        public Builder(List<? extends KeyCheck> all) {
            this.all = List.copyOf(all);
        }

        public Builder pass(KeyCheck check, String detail) {
            results.put(check, new Result(check, Status.PASSED, detail, Optional.empty()));
            return this;
        }

        public Builder fail(KeyCheck check, String detail) {
            results.put(check, new Result(check, Status.FAILED, detail, Optional.of(check.remedy())));
            return this;
        }

        public Builder passIfUnset(KeyCheck check, String detail) {
            results.putIfAbsent(check, new Result(check, Status.PASSED, detail, Optional.empty()));
            return this;
        }

        public boolean failed(KeyCheck check) {
            Result r = results.get(check);
            return r != null && r.status() == Status.FAILED;
        }

        public KeyValidationReport build(String keyUri, String notCheckedReason) {
            return new KeyValidationReport(
                    keyUri,
                    all.stream()
                            .map(check -> results.getOrDefault(
                                    check, new Result(check, Status.NOT_CHECKED, notCheckedReason, Optional.empty())))
                            .toList());
        }
    }
}
