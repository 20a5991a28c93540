package dev.mailgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
        assertThat(throttle.begin(guesser).failed()).isEqualTo(1);
        assertThat(throttle.begin(guesser).failed()).isEqualTo(2);
        assertThat(throttle.isBlocked(guesser)).isFalse();
        assertThat(throttle.begin(guesser).failed()).isEqualTo(3);
        assertThat(throttle.isBlocked(guesser)).isTrue();
        assertThat(throttle.begin(guesser)).isNull();
        assertThat(throttle.isBlocked(other)).isFalse();
        assertThat(throttle.begin(other)).isNotNull();
    }

    @Test
    void checksUnderWayCountAgainstTheLimitBeforeTheyEnd() throws Exception {
        AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(15));
        InetAddress client = InetAddress.getByName("192.0.2.4");
        AuthThrottle.Attempt first = throttle.begin(client);
        AuthThrottle.Attempt second = throttle.begin(client);
        AuthThrottle.Attempt third = throttle.begin(client);
        assertThat(throttle.begin(client)).as("a fourth check while three are under way").isNull();
        assertThat(throttle.isBlocked(client)).isFalse();

        first.ended(); // the right password: no failure, the slot is free again
        AuthThrottle.Attempt fourth = throttle.begin(client);
        assertThat(fourth).isNotNull();
        assertThat(second.failed()).isEqualTo(1);
        assertThat(throttle.begin(client)).as("1 failure and 2 under way").isNull();
        assertThat(third.failed()).isEqualTo(2);
        assertThat(fourth.failed()).isEqualTo(3);
        assertThat(throttle.isBlocked(client)).isTrue();
        assertThat(throttle.begin(client)).isNull();
    }

    @Test
    void anAttemptEndsOnce() throws Exception {
        AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(15));
        AuthThrottle.Attempt attempt = throttle.begin(InetAddress.getByName("192.0.2.5"));
        attempt.failed();
        assertThatThrownBy(attempt::ended).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(attempt::failed).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ipv6ClientsCountPerSlash64() throws Exception {
        AuthThrottle throttle = new AuthThrottle(2, Duration.ofMinutes(15));
        throttle.begin(InetAddress.getByName("2001:db8:1:2::1")).failed();
        AuthThrottle.Attempt underWay = throttle.begin(InetAddress.getByName("2001:db8:1:2::ffff"));
        assertThat(throttle.begin(InetAddress.getByName("2001:db8:1:2:abcd::9"))).isNull();
        underWay.failed();
        assertThat(throttle.isBlocked(InetAddress.getByName("2001:db8:1:2:abcd::9"))).isTrue();
        assertThat(throttle.isBlocked(InetAddress.getByName("2001:db8:1:3::1"))).isFalse();
        assertThat(throttle.begin(InetAddress.getByName("2001:db8:1:3::1"))).isNotNull();
    }

    @Test
    void failuresAreForgottenAfterTheWindow() throws Exception {
        AuthThrottle throttle = new AuthThrottle(1, Duration.ofMillis(200));
        InetAddress client = InetAddress.getByName("192.0.2.3");
        throttle.begin(client).failed();
        assertThat(throttle.isBlocked(client)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !throttle.isBlocked(client));
        assertThat(throttle.begin(client).failed()).isEqualTo(1);
    }
}
