package dev.byok.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byok.crypto.ManagedKeyring;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.local.RunningStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs last: every service log the suite produced is searched for the secrets and payloads the suite
 * itself generated or can recover — tokens, the managed keyring, plaintext DEKs (unwrapped here with
 * the keyring), wrapped DEKs, the vault's private keys, and event payload fields.
 */
@Order(99)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsScanIT {
    private final Suite suite;

    SecretsScanIT(Suite suite) {
        this.suite = suite;
    }

    @Test
    void noSecretOrPayloadInAnyLog() throws Exception {
        Path data = suite.stack.options().dataDir().toAbsolutePath();
        List<String> needles = new ArrayList<>(suite.tokensIssued());
        String keyring =
                Files.readString(data.resolve("secrets/managed-keyring")).trim();
        needles.add(keyring.substring(keyring.indexOf(':') + 1));
        ManagedKeyring managed = ManagedKeyring.parse(keyring);
        try (Connection c = DriverManager.getConnection(suite.stack.dataJdbcUrl(), "byok", "byok");
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT id, tenant_id, wrapped FROM dek ORDER BY random() LIMIT 300")) {
            while (rs.next()) {
                String wrapped = Base64.getEncoder().encodeToString(rs.getBytes(3));
                needles.add(wrapped.substring(wrapped.length() - 40));
                try {
                    if (WrappedDek.decode(rs.getBytes(3)) instanceof WrappedDek.ManagedOnly m) {
                        byte[] plain = managed.unwrap(rs.getString(2), rs.getObject(1, UUID.class), m);
                        needles.add(Base64.getEncoder().encodeToString(plain));
                        needles.add(HexFormat.of().formatHex(plain));
                    }
                } catch (InvalidCiphertextException e) {
                    // a DEK BadInputIT altered on purpose
                }
            }
        }
        JsonNode vault = new ObjectMapper()
                .readTree(data.resolve("keyvault/" + RunningStack.VAULT + ".keys.json")
                        .toFile());
        vault.findValues("private").forEach(p -> needles.add(p.asText().substring(200, 260)));
        for (String tenant : List.of("crash-", "tamper-", "dekb-")) {
            needles.add("@" + tenant + suite.run + ".example"); // actors inside event payloads
        }

        List<Path> logs;
        try (Stream<Path> files = Files.list(data.resolve("logs"))) {
            logs = files.toList();
        }
        long bytes = 0;
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            bytes += text.length();
            for (String needle : needles) {
                assertThat(text)
                        .as(log.getFileName() + " must not contain a secret or payload")
                        .doesNotContain(needle);
            }
        }
        assertThat(logs).hasSizeGreaterThanOrEqualTo(4);
        suite.results.add(
                "Secrets hygiene: every service log of the suite (%d files, %,d KB) scanned"
                        .formatted(logs.size(), bytes / 1024),
                "no token, managed key, DEK (plain or wrapped), vault private key or event payload",
                "none of %d generated values found".formatted(needles.size()));
    }
}
