package dev.byok.config;

import dev.byok.kms.KeyVersionId;
import dev.byok.service.Problem;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The body of validate and enable: the Key Vault key identifier URI as copied from the portal, and
 * the Entra directory (tenant) id the vault belongs to — where the customer registered the
 * service's BYOK application.
 */
public record KeyRequest(String keyUri, String directoryId) {
    static final String FORM = "the body must be {\"keyUri\": \"https://{vault}.vault.azure.net/keys/{name}\","
            + " \"directoryId\": \"{your Entra tenant id, a GUID}\"}";

    /** The trimmed key URI, or 400 naming what is wrong. */
    String requiredKeyUri() {
        if (keyUri == null || keyUri.isBlank()) {
            throw new Problem(400, "Missing key URI", FORM);
        }
        if (keyUri.length() > KeyVersionId.MAX_LENGTH) {
            throw new Problem(
                    400, "Invalid key URI", "the key URI is longer than " + KeyVersionId.MAX_LENGTH + " characters");
        }
        return keyUri.trim();
    }

    /** The directory id in canonical (lowercase) form, or 400 naming what is wrong. */
    String requiredDirectoryId(Predicate<String> wellFormed) {
        if (directoryId == null || directoryId.isBlank()) {
            throw new Problem(400, "Missing directory id", FORM);
        }
        String id = directoryId.trim().toLowerCase(Locale.ROOT);
        if (!wellFormed.test(id)) {
            throw new Problem(
                    400,
                    "Invalid directory id",
                    "directoryId must be an Entra directory (tenant) id, a GUID such as"
                            + " 72f988bf-86f1-41af-91ab-2d7cd011db47 (Key Vault, Overview, Directory ID); got "
                            + id.length() + " characters");
        }
        return id;
    }
}
