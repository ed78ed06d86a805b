package dev.byok.config;

import dev.byok.kms.KeyValidationReport;
import java.util.List;

/** The validation report as the API returns it: every check with its title, status, finding and remedy. */
public record ReportView(String keyUri, boolean passed, List<CheckView> checks) {
    public record CheckView(String check, String title, String status, String detail, String remedy) {}

    static ReportView of(KeyValidationReport report) {
        return new ReportView(
                report.keyUri(),
                report.passed(),
                report.results().stream()
                        .map(r -> new CheckView(
                                r.check().name(),
                                r.check().title(),
                                r.status().name(),
                                r.detail(),
                                r.remedy().orElse(null)))
                        .toList());
    }
}
