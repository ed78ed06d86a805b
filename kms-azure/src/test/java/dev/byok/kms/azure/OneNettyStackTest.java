package dev.byok.kms.azure;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Azure SDK's reactor-netty client is excluded: the Vert.x client runs on the service's own Netty. */
class OneNettyStackTest {
    @Test
    void reactorNettyClient_isNotOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("reactor.netty.http.client.HttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("com.azure.core.http.netty.NettyAsyncHttpClientBuilder"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
