package dev.quotestream.dashboard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Error texts shown in the browser and the health output lose ARNs and account ids. */
class RedactTest {

    @Test
    void arnsAndAccountIdsAreRemovedAndLongTextsCut() {
        String sns = "SnsException: Topic does not exist: arn:aws:sns:eu-west-1:123456789012:stock-quote-alerts "
                + "(Service: Sns, Status Code: 404, Request ID: 5f3a)";
        assertThat(Redact.text(sns)).doesNotContain("123456789012", "stock-quote-alerts")
                .contains("arn:(redacted)").contains("Status Code: 404");
        assertThat(Redact.text("role 210987654321 denied")).isEqualTo("role (account) denied");
        assertThat(Redact.text("at 20261125144000 and 2026-11-25T14:40:00Z")).isEqualTo("at 20261125144000 and 2026-11-25T14:40:00Z");
        assertThat(Redact.text("x".repeat(1000))).hasSize(301);
        assertThat(Redact.text(null)).isNull();
    }
}
