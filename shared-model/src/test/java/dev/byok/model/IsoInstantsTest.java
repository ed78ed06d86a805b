package dev.byok.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
    private static final String MUTATIONS = "0123456789-:.TtZz+ \u0663";

    @Test
    void agreesWithTheJdk_onValidInstantsWithEveryFractionLength() {
        Random random = new Random(21);
        for (int i = 0; i < 50_000; i++) {
            String text = randomInstant(random);

            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void agreesWithTheJdk_onMutatedText_acceptingAndRefusingTheSame() {
        Random random = new Random(42);
        int refused = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = mutate(randomInstant(random), random);

            Object jdk = outcome(() -> Instant.parse(text));
            Object ours = outcome(() -> IsoInstants.parse(text));
            assertThat(ours).as(text).isEqualTo(jdk);
            refused += jdk instanceof Class<?> ? 1 : 0;
        }
        assertThat(refused)
                .as("the mutations must reach the refusing paths too")
                .isGreaterThan(50_000);
    }

    @Test
    void fieldsOutOfRange_areTheJdksToJudge() {
        for (String text : new String[] {
            "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
            "2026-12-31T23:59:60Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567891Z"
        }) {
            assertThat(outcome(() -> IsoInstants.parse(text))).as(text).isEqualTo(outcome(() -> Instant.parse(text)));
        }
    }

    private static String randomInstant(Random random) {
        long seconds = random.nextLong(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(), 253_402_300_799L);
        String text = Instant.ofEpochSecond(seconds).toString(); // ...:ssZ
        int digits = random.nextInt(10);
        if (digits == 0) {
            return text;
        }
        StringBuilder fraction = new StringBuilder(".");
        for (int d = 0; d < digits; d++) {
            fraction.append((char) ('0' + random.nextInt(10)));
        }
        return text.substring(0, text.length() - 1) + fraction + "Z";
    }

    private static String mutate(String text, Random random) {
        StringBuilder s = new StringBuilder(text);
        int at = random.nextInt(s.length());
        char c = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
        switch (random.nextInt(3)) {
            case 0 -> s.setCharAt(at, c);
            case 1 -> s.insert(at, c);
            default -> s.deleteCharAt(at);
        }
        return s.toString();
    }

    /** The instant, or the class of what was thrown. */
    private static Object outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
