package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceModifiedException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KmsException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Classification by status, error code and inner code, as the notes' table records the real SDK's behaviour. */
class KeyVaultFailuresTest {

    @ParameterizedTest
    @CsvSource({
        "403, Forbidden, KeyDisabled, KEY_DISABLED",
        "403, Forbidden, ForbiddenByPolicy, PERMISSION_DENIED",
        "403, Forbidden, ForbiddenByRbac, PERMISSION_DENIED",
        "403, Forbidden, ForbiddenByFirewall, FIREWALL_BLOCKED",
        "403, KeyOperationForbidden, KeyOperationForbidden, OPERATION_NOT_PERMITTED",
        "403, Forbidden, KeyExpired, KEY_EXPIRED",
        "403, Forbidden, KeyNotYetValid, KEY_NOT_YET_ACTIVE",
        "404, KeyNotFound, , KEY_NOT_FOUND",
        "401, Unauthorized, , AUTHENTICATION_FAILED",
        "500, InternalServerError, , VAULT_UNREACHABLE",
        "503, ServiceUnavailable, , VAULT_UNREACHABLE",
        "408, RequestTimeout, , VAULT_UNREACHABLE",
        "409, Conflict, , UNKNOWN"
    })
    void httpAnswer_isClassifiedByStatusAndCodes(int status, String code, String inner, KeyAccessFailure expected) {
        RuntimeException classified = KeyVaultFailures.classify(http(status, code, inner, null), "wrap", false);

        assertThat(classified)
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(expected));
    }

    @Test
    void forbiddenOnGet_surfacingAsResourceModified_isStillClassifiedByItsCode() {
        HttpResponseException onGet = new ResourceModifiedException(
                "Status code 403, " + body("Forbidden", "KeyDisabled"), response(403, null));

        assertThat(((KmsException) KeyVaultFailures.classify(onGet, "get", false)).failure())
                .isEqualTo(KeyAccessFailure.KEY_DISABLED);
    }

    @Test
    void throttling_carriesRetryAfter() {
        KmsException e = (KmsException) KeyVaultFailures.classify(http(429, "Throttled", null, "12"), "wrap", false);

        assertThat(e.failure()).isEqualTo(KeyAccessFailure.THROTTLED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
    }

    @Test
    void retryAfterBeyondAMinute_isCappedAtAMinute() {
        KmsException e = (KmsException) KeyVaultFailures.classify(http(429, "Throttled", null, "86400"), "wrap", false);

        assertThat(e.retryAfter()).contains(KeyVaultFailures.MAX_RETRY_AFTER);
    }

    @Test
    void challengeNamingAnotherResource_isUntrustedChallenge() {
        RuntimeException sdk = new RuntimeException(
                "The challenge resource 'https://vault.azure.net/.default' does not match the requested"
                        + " domain. If you wish to disable this check for your client, pass 'true' to the SecretClientBuilder"
                        + ".disableChallengeResourceVerification() method when building it.");

        assertThat(((KmsException) KeyVaultFailures.classify(new RuntimeException("wrapped", sdk), "unwrap", true))
                        .failure())
                .isEqualTo(KeyAccessFailure.UNTRUSTED_CHALLENGE);
    }

    @Test
    void challengeNamingAnotherDirectory_isWrongDirectory() {
        Throwable identity = new ClientAuthenticationException(
                "The current credential is not configured to acquire tokens for tenant"
                        + " fab00000-0000-4000-8000-000000000002. To enable acquiring tokens for this tenant add it to the"
                        + " AdditionallyAllowedTenants on the credential builder, or add \"*\" to AdditionallyAllowedTenants to allow"
                        + " acquiring tokens for any tenant.",
                null);

        assertThat(((KmsException) KeyVaultFailures.classify(new RuntimeException("wrapped", identity), "unwrap", true))
                        .failure())
                .isEqualTo(KeyAccessFailure.WRONG_DIRECTORY);
    }

    @Test
    void signInRefusedForAnUnregisteredApplication_isAppNotRegistered_whateverWrapsIt() {
        Throwable entra = new IllegalStateException(
                "AADSTS700016: Application with identifier 'x' was not found in the directory 'd'.");

        assertThat(((KmsException) KeyVaultFailures.classify(
                                new ClientAuthenticationException("token acquisition failed", null, entra),
                                "wrap",
                                false))
                        .failure())
                .isEqualTo(KeyAccessFailure.APP_NOT_REGISTERED);
    }

    @Test
    void badParameterOnUnwrap_isInvalidCiphertext_notAKeyFailure() {
        assertThat(KeyVaultFailures.classify(http(400, "BadParameter", null, null), "unwrap", true))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThat(KeyVaultFailures.classify(http(400, "BadParameter", null, null), "wrap", false))
                .isInstanceOf(KmsException.class);
    }

    @Test
    void networkFailures_areVaultUnreachable() {
        for (Throwable t : new Throwable[] {
            new UncheckedIOException(new ConnectException("refused")),
            new UncheckedIOException(new UnknownHostException("no-such-vault")),
            new SSLHandshakeException("bad cert"),
            new TimeoutException("silent"),
            new RuntimeException(
                    "Retry attempts have been exhausted.",
                    new io.vertx.core.impl.NoStackTraceTimeoutException("Timeout 2000 (ms) fired"))
        }) {
            assertThat(((KmsException) KeyVaultFailures.classify(t, "wrap", false)).failure())
                    .as(t.toString())
                    .isEqualTo(KeyAccessFailure.VAULT_UNREACHABLE);
        }
    }

    @Test
    void tokenFailure_isAuthenticationFailed() {
        assertThat(((KmsException) KeyVaultFailures.classify(
                                new ClientAuthenticationException("no token", null), "wrap", false))
                        .failure())
                .isEqualTo(KeyAccessFailure.AUTHENTICATION_FAILED);
    }

    @Test
    void messages_nameTheOperationAndCodes_notTheBody() {
        KmsException e = (KmsException)
                KeyVaultFailures.classify(http(403, "Forbidden", "ForbiddenByPolicy", null), "wrap with k/1", false);

        assertThat(e.getMessage()).isEqualTo("wrap with k/1: Key Vault answered 403 Forbidden/ForbiddenByPolicy");
    }

    private static HttpResponseException http(int status, String code, String inner, String retryAfter) {
        return new HttpResponseException(
                "Status code " + status + ", " + body(code, inner), response(status, retryAfter));
    }

    private static String body(String code, String inner) {
        return "\"{\\\"error\\\":{\\\"code\\\":\\\"" + code + "\\\",\\\"message\\\":\\\"details\\\""
                + (inner == null ? "" : ",\\\"innererror\\\":{\\\"code\\\":\\\"" + inner + "\\\"}") + "}}\"";
    }

    private static HttpResponse response(int status, String retryAfter) {
        return new HttpResponse(new HttpRequest(HttpMethod.POST, "https://contoso.vault.azure.net/keys/k/1/wrapkey")) {
            @Override
            public int getStatusCode() {
                return status;
            }

            @Override
            @SuppressWarnings("deprecation")
            public String getHeaderValue(String name) {
                return getHeaders().getValue(name);
            }

            @Override
            public HttpHeaders getHeaders() {
                HttpHeaders headers = new HttpHeaders();
                if (retryAfter != null) {
                    headers.set(HttpHeaderName.RETRY_AFTER, retryAfter);
                }
                return headers;
            }

            @Override
            public Flux<ByteBuffer> getBody() {
                return Flux.empty();
            }

            @Override
            public Mono<byte[]> getBodyAsByteArray() {
                return Mono.empty();
            }

            @Override
            public Mono<String> getBodyAsString() {
                return Mono.empty();
            }

            @Override
            public Mono<String> getBodyAsString(Charset charset) {
                return Mono.empty();
            }
        };
    }
}
