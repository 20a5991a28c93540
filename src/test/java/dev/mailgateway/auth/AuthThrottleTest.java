package dev.mailgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    @Test
    void blocksAfterTheLimitPerClient() throws Exception {
        AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(15));
        InetAddress guesser = InetAddress.getByName("192.0.2.1");
        InetAddress other = InetAddress.getByName("192.0.2.2");
        assertThat(throttle.failed(guesser)).isEqualTo(1);
        assertThat(throttle.failed(guesser)).isEqualTo(2);
        assertThat(throttle.isBlocked(guesser)).isFalse();
        assertThat(throttle.failed(guesser)).isEqualTo(3);
        assertThat(throttle.isBlocked(guesser)).isTrue();
        assertThat(throttle.isBlocked(other)).isFalse();
    }

    @Test
    void ipv6ClientsCountPerSlash64() throws Exception {
        AuthThrottle throttle = new AuthThrottle(2, Duration.ofMinutes(15));
        throttle.failed(InetAddress.getByName("2001:db8:1:2::1"));
        throttle.failed(InetAddress.getByName("2001:db8:1:2::ffff"));
        assertThat(throttle.isBlocked(InetAddress.getByName("2001:db8:1:2:abcd::9"))).isTrue();
        assertThat(throttle.isBlocked(InetAddress.getByName("2001:db8:1:3::1"))).isFalse();
    }

    @Test
    void failuresAreForgottenAfterTheWindow() throws Exception {
        AuthThrottle throttle = new AuthThrottle(1, Duration.ofMillis(200));
        InetAddress client = InetAddress.getByName("192.0.2.3");
        throttle.failed(client);
        assertThat(throttle.isBlocked(client)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !throttle.isBlocked(client));
        assertThat(throttle.failed(client)).isEqualTo(1);
    }
}
