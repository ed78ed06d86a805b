package dev.byok.kms.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KmsException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns whatever the Azure SDK raised into the contract's classification, from the HTTP status,
 * Key Vault's error code and inner error code, and the cause chain — never from the exception's
 * subclass alone (the SDK maps any 403 on "get" to ResourceModifiedException, for example).
 */
final class KeyVaultFailures {
    /** {@code "code":"X"} in JSON, escaped JSON or a map's toString ({@code code=X}). */
    private static final Pattern ERROR_CODE = Pattern.compile("\\b\\\\?\"?code\\\\?\"?\\s*[:=]\\s*\\\\?\"?([A-Za-z]+)");
    /** A vault cannot make the service wait longer than this, whatever its Retry-After says. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private KeyVaultFailures() {}

    /** The classified failure for an operation ({@code what} names it for the message). */
    static RuntimeException classify(Throwable error, String what, boolean unwrapping) {
        if (error instanceof KmsException || error instanceof InvalidCiphertextException) {
            return (RuntimeException) error;
        }
        if (error instanceof HttpResponseException http && http.getResponse() != null) {
            return fromResponse(http, what, unwrapping);
        }
        // what the sign-in refused is decided by the innermost cause: wrappers say only "authentication failed"
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (foreignResource(t)) {
                return new KmsException(
                        KeyAccessFailure.UNTRUSTED_CHALLENGE,
                        what + ": the vault's challenge names another resource than Key Vault; no token was sent",
                        null,
                        error);
            }
            if (foreignDirectory(t)) {
                return new KmsException(
                        KeyAccessFailure.WRONG_DIRECTORY,
                        what + ": the vault belongs to another directory than the tenant's; no token was requested",
                        null,
                        error);
            }
            if (t.getMessage() != null
                    && t.getMessage()
                            .contains("AADSTS700016")) { // Entra: no service principal of the app in the directory
                return new KmsException(
                        KeyAccessFailure.APP_NOT_REGISTERED,
                        what + ": the service's application is not registered in the vault's directory",
                        null,
                        error);
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ClientAuthenticationException
                    || t instanceof CredentialUnavailableException
                    || t.getClass().getName().startsWith("com.microsoft.aad.msal4j.")) {
                return new KmsException(
                        KeyAccessFailure.AUTHENTICATION_FAILED,
                        what + ": the service could not get a token for Key Vault",
                        null,
                        error);
            }
            if (t instanceof TimeoutException) {
                return new KmsException(
                        KeyAccessFailure.VAULT_UNREACHABLE, what + ": the vault did not answer in time", null, error);
            }
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException
                    || t instanceof SSLException
                    || t instanceof UncheckedIOException
                    || t instanceof java.io.IOException) {
                return new KmsException(
                        KeyAccessFailure.VAULT_UNREACHABLE,
                        what + ": the vault could not be reached ("
                                + t.getClass().getSimpleName() + ")",
                        null,
                        error);
            }
        }
        return new KmsException(
                KeyAccessFailure.UNKNOWN,
                what + ": unexpected error (" + error.getClass().getSimpleName() + ")",
                null,
                error);
    }

    /** The SDK's challenge resource verification refused the challenge (a plain RuntimeException saying so). */
    private static boolean foreignResource(Throwable t) {
        String message = t.getMessage();
        return message != null
                && t.getClass() == RuntimeException.class
                && message.startsWith("The challenge resource '")
                && (message.contains("does not match the requested domain") || message.contains("is not a valid URI"));
    }

    /**
     * azure-identity refused to sign in to the directory the challenge named: the credential is for
     * the tenant's configured directory only (no additionally allowed tenants).
     */
    private static boolean foreignDirectory(Throwable t) {
        return t instanceof ClientAuthenticationException
                && t.getMessage() != null
                && t.getMessage().contains("not configured to acquire tokens for tenant");
    }

    private static RuntimeException fromResponse(HttpResponseException e, String what, boolean unwrapping) {
        HttpResponse response = e.getResponse();
        int status = response.getStatusCode();
        String codes = errorCodes(e);
        String message = what + ": Key Vault answered " + status + (codes.isEmpty() ? "" : " " + codes);
        KeyAccessFailure failure;
        Duration retryAfter = null;
        if (status == 401) {
            failure = KeyAccessFailure.AUTHENTICATION_FAILED;
        } else if (status == 403) {
            failure = forbidden(codes);
        } else if (status == 404) {
            failure = KeyAccessFailure.KEY_NOT_FOUND;
        } else if (status == 429) {
            failure = KeyAccessFailure.THROTTLED;
            retryAfter = retryAfter(response.getHeaders().getValue(HttpHeaderName.RETRY_AFTER));
        } else if (status == 400 && unwrapping) {
            return new InvalidCiphertextException(); // the key works; the wrapped bytes do not
        } else if (status == 408 || status >= 500) {
            failure = KeyAccessFailure.VAULT_UNREACHABLE;
        } else {
            failure = KeyAccessFailure.UNKNOWN;
        }
        return new KmsException(failure, message, retryAfter, e);
    }

    private static KeyAccessFailure forbidden(String codes) {
        String c = codes.toLowerCase(Locale.ROOT);
        if (c.contains("keydisabled")) {
            return KeyAccessFailure.KEY_DISABLED;
        }
        if (c.contains("firewall")) {
            return KeyAccessFailure.FIREWALL_BLOCKED;
        }
        if (c.contains("keyoperationforbidden")) {
            return KeyAccessFailure.OPERATION_NOT_PERMITTED;
        }
        if (c.contains("keyexpired")) {
            return KeyAccessFailure.KEY_EXPIRED;
        }
        if (c.contains("keynotyetvalid")) {
            return KeyAccessFailure.KEY_NOT_YET_ACTIVE;
        }
        return KeyAccessFailure.PERMISSION_DENIED; // ForbiddenByPolicy, ForbiddenByRbac, plain Forbidden
    }

    /** "code/innercode" from Key Vault's error body, which the SDK quotes in the exception message. */
    private static String errorCodes(HttpResponseException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        if (e.getValue() != null) {
            text = text + " " + e.getValue();
        }
        Matcher m = ERROR_CODE.matcher(text);
        List<String> codes = new ArrayList<>();
        while (m.find() && codes.size() < 3) {
            codes.add(m.group(1));
        }
        return String.join("/", codes);
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > MAX_RETRY_AFTER.toSeconds() ? MAX_RETRY_AFTER : Duration.ofSeconds(Math.max(0, seconds));
        } catch (NumberFormatException ignored) {
            return null; // an HTTP date: treat as unknown
        }
    }
}
