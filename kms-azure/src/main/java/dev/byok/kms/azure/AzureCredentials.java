package dev.byok.kms.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** Builds the configured {@link TokenCredential}, on the shared HTTP client, with bounded token acquisition. */
public final class AzureCredentials {
    private AzureCredentials() {}

    /** The configured credential; {@link AzureKeyVaultKms} bounds its token acquisition. */
    public static TokenCredential create(CredentialSettings s, HttpClient httpClient) {
        return switch (s.kind()) {
            case STATIC_TOKEN -> {
                String token = s.secret()
                        .orElseThrow(() -> new IllegalArgumentException("a static token credential needs the token"));
                yield request ->
                        Mono.just(new AccessToken(token, OffsetDateTime.now().plusYears(1)));
            }
            case CLIENT_SECRET -> {
                ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder()
                        .httpClient(httpClient)
                        .tenantId(required(s.tenantId().orElse(null), "tenant id"))
                        .clientId(required(s.clientId().orElse(null), "client id"))
                        .clientSecret(required(s.secret().orElse(null), "client secret"));
                s.authorityHost().ifPresent(host -> b.authorityHost(host).disableInstanceDiscovery());
                yield b.build();
            }
            case CLIENT_CERTIFICATE -> {
                String path = required(s.certificatePath().orElse(null), "certificate path");
                ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder()
                        .httpClient(httpClient)
                        .tenantId(required(s.tenantId().orElse(null), "tenant id"))
                        .clientId(required(s.clientId().orElse(null), "client id"));
                s.authorityHost().ifPresent(host -> b.authorityHost(host).disableInstanceDiscovery());
                yield path.endsWith(".pem")
                        ? b.pemCertificate(path).build()
                        : b.pfxCertificate(path).build();
            }
            case WORKLOAD_IDENTITY -> {
                WorkloadIdentityCredentialBuilder b = new WorkloadIdentityCredentialBuilder().httpClient(httpClient);
                s.clientId().ifPresent(b::clientId);
                s.tenantId().ifPresent(b::tenantId);
                s.federatedTokenFile().ifPresent(b::tokenFilePath);
                s.authorityHost().ifPresent(host -> b.authorityHost(host).disableInstanceDiscovery());
                yield b.build();
            }
            case MANAGED_IDENTITY -> {
                ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder().httpClient(httpClient);
                s.clientId().ifPresent(b::clientId);
                yield b.build();
            }
            case DEFAULT -> {
                DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder().httpClient(httpClient);
                s.clientId().ifPresent(b::managedIdentityClientId);
                s.tenantId().ifPresent(b::tenantId);
                yield b.build();
            }
        };
    }

    /**
     * Token acquisition is not bounded by HTTP timeouts (MSAL can take half a minute to fail): past
     * {@code timeout}, or on any error, it fails as a {@link ClientAuthenticationException}. The
     * wrapper also tells whether a token request is pending or failed since a given time, so an
     * operation that ran out of time waiting for a token is reported as an authentication failure,
     * not as an unreachable vault.
     */
    static final class BoundedCredential implements TokenCredential {
        private final TokenCredential delegate;
        private final Duration timeout;
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();

        BoundedCredential(TokenCredential delegate, Duration timeout) {
            this.delegate = delegate;
            this.timeout = timeout;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.defer(() -> {
                pending.incrementAndGet();
                return delegate.getToken(request)
                        .timeout(timeout)
                        .doOnError(e -> failures.incrementAndGet())
                        .doFinally(signal -> pending.decrementAndGet())
                        .onErrorMap(
                                e -> !(e instanceof ClientAuthenticationException),
                                e -> new ClientAuthenticationException(
                                        e instanceof TimeoutException
                                                ? "no Key Vault token within " + timeout.toMillis() + " ms"
                                                : "token acquisition failed ("
                                                        + e.getClass().getSimpleName() + ")",
                                        null,
                                        e));
            });
        }

        /** Failed token requests so far: take it before an operation, pass it to {@link #troubleSince}. */
        int failures() {
            return failures.get();
        }

        /** Whether a token request is in flight now, or one failed since {@code failuresBefore} was taken. */
        boolean troubleSince(int failuresBefore) {
            return pending.get() > 0 || failures.get() != failuresBefore;
        }
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the credential needs its " + what);
        }
        return value;
    }
}
