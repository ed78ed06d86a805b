package dev.byok.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One benchmark figure measured once per round: its median and its range (min–max). Benchmarks on a
 * small shared VM move by several per cent between rounds, so a single sample is never reported.
 */
public final class Samples {
    private final String name;
    private final String unit;
    private final List<Double> values = new ArrayList<>();

    public Samples(String name, String unit) {
        this.name = name;
        this.unit = unit;
    }

    public void add(double value) {
        values.add(value);
    }

    public int size() {
        return values.size();
    }

    public double median() {
        List<Double> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        return sorted().get(values.size() - 1);
    }

    /** The ratio of this figure to another, round by round (both measured in the same rounds). */
    public Samples over(Samples other, String ratioName) {
        if (other.size() != size()) {
            throw new IllegalArgumentException(name + " and " + other.name + " have different round counts");
        }
        Samples ratio = new Samples(ratioName, "");
        for (int i = 0; i < size(); i++) {
            ratio.add(values.get(i) / other.values.get(i));
        }
        return ratio;
    }

    /** One line: name, median, range and the number of rounds; ratios with three decimals, small figures two. */
    public String line() {
        String format = unit.isEmpty() ? "%.3f" : max() < 100 ? "%.2f" : "%,.0f";
        return String.format(
                Locale.ROOT,
                "%-44s median " + format + "%s  (min " + format + ", max " + format + ", %d rounds)",
                name,
                median(),
                unit.isEmpty() ? "" : " " + unit,
                min(),
                max(),
                size());
    }

    /** {@link #line()} with the target it is held to and whether the median meets it. */
    public String lineAgainst(double atLeast) {
        return line()
                + String.format(Locale.ROOT, "  target >= %.2f: %s", atLeast, median() >= atLeast ? "met" : "NOT met");
    }

    private List<Double> sorted() {
        if (values.isEmpty()) {
            throw new IllegalStateException(name + " has no samples");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
