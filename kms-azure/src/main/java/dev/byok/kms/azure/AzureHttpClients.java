package dev.byok.kms.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The one Azure HTTP client of a service: Vert.x-based, on the service's own Vert.x instance (so
 * the process has one Netty stack), with bounded timeouts and, when configured, trust in an
 * emulator's certificate in addition to the JVM's default trust.
 */
public final class AzureHttpClients {
    private AzureHttpClients() {}

    public static HttpClient create(Vertx vertx, AzureKmsSettings settings) {
        HttpClientOptions options = new HttpClientOptions()
                .setSslHandshakeTimeout(settings.tlsHandshakeTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setConnectTimeout((int) settings.httpTimeout().toMillis());
        settings.trustedCertificatePem()
                .ifPresent(pem -> options.setTrustOptions(TrustOptions.wrap(defaultTrustPlus(pem))));
        return new VertxHttpClientBuilder()
                .vertx(vertx)
                .httpClientOptions(options)
                .connectTimeout(settings.httpTimeout())
                .responseTimeout(settings.httpTimeout())
                .readTimeout(settings.httpTimeout())
                .writeTimeout(settings.httpTimeout())
                .build();
    }

    /** The JVM's default trust, plus one extra certificate (e.g. the emulator's self-signed one). */
    static X509TrustManager defaultTrustPlus(String pem) {
        try {
            X509Certificate extra = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            KeyStore extraStore = KeyStore.getInstance(KeyStore.getDefaultType());
            extraStore.load(null, null);
            extraStore.setCertificateEntry("extra", extra);
            X509TrustManager extraTrust = trustManager(extraStore);
            X509TrustManager defaults = trustManager(null);
            return new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    defaults.checkClientTrusted(chain, authType);
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    try {
                        extraTrust.checkServerTrusted(chain, authType);
                    } catch (CertificateException e) {
                        defaults.checkServerTrusted(chain, authType);
                    }
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return defaults.getAcceptedIssuers();
                }
            };
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("the trusted certificate is not a valid PEM X.509 certificate", e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }
}
