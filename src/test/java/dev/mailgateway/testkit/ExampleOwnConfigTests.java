package dev.mailgateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testkit.Outcome.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator's own configuration under test: a content rule of theirs (config/content-rules) that scores a
 * lottery subject over the reject score, and a user of the submission listener. Mail from the internet that hits
 * the rule is refused; the same message from our own user is only tagged.
 */
class ExampleOwnConfigTests {

    @RegisterExtension
    static RouteTestKit gateway = RouteTestKit.shippedRoutes().relayDomains("example.com")
            .configFile("content-rules", """
                    # NAME            SCORE  WHERE           MATCH
                    LOTTERY_SUBJECT     20   header:Subject  /you (have )?won .*lottery/i
                    """)
            .user("alice", "wonderland");

    private static final String LOTTERY = """
            From: Lottery <winner@lottery.example>
            To: bob@example.com
            Subject: You have won the lottery!
            Date: Fri, 04 Dec 2026 10:00:00 +0000
            Message-ID: <lottery-1@lottery.example>

            Send us your bank details.
            """;

    @Test
    void ourRuleRefusesTheLotteryFromTheInternet() throws Exception {
        Outcome outcome = gateway.messageText(LOTTERY).send();

        assertThat(outcome.reply()).isEqualTo("550 5.7.1 Message rejected as spam (LOTTERY_SUBJECT)");
        assertThat(outcome.reasons()).contains("LOTTERY_SUBJECT (20)");
    }

    @Test
    void ourOwnUsersLotteryIsOnlyTagged() throws Exception {
        Outcome outcome = gateway.messageText(LOTTERY).asUser("alice", "wonderland")
                .from("alice@example.com").send();

        assertThat(outcome.decision()).isEqualTo(Decision.ACCEPTED);
        assertThat(outcome.delivered().header("X-Spam-Status")).startsWith("Yes,").contains("LOTTERY_SUBJECT");
    }
}
