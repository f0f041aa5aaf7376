package dev.quotestream.aws;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.SnsTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerts go to the topic that exists, in the account that is in use, never to a made-up 000000000000 ARN: with
 * bootstrap, the ARN CreateTopic answered (an emulator's account: moto's is 123456789012); without an ARN and
 * without bootstrap, the topic's name in the caller's account (STS GetCallerIdentity).
 */
class TopicResolutionTest {

    private final LoopbackAws aws = LoopbackAws.shared();

    private Map<String, String> properties(LoopbackProfile resources, Path data) throws Exception {
        Map<String, String> p = new HashMap<>(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()));
        p.putAll(resources.properties());
        p.put("pipeline.fetch-in-camel", "false");
        p.put("report.schedule-enabled", "false");
        p.put("aws.topic-arn", "");
        p.put("report.topic-arn", "");
        return p;
    }

    /** A crossing (+10 %) on the stream; returns when its alert was sent. */
    private void crossing(LoopbackProfile resources, Map<String, String> p) throws Exception {
        KinesisClient kinesis = LoopbackProfile.kinesis(LoopbackProfile.clients(aws));
        AwsBootstrap.ensureStream(kinesis, resources.stream(), 1);
        kinesis.putRecord(b -> b.streamName(resources.stream()).partitionKey("ACCT").data(SdkBytes.fromUtf8String(
                dev.quotestream.testing.StreamBadInputs.quote("ACCT", 1, "\"price\":101.5", "\"price\":110"))));
        try (PipelineRunner app = PipelineRunner.start("aws", p)) {
            ExchangeCounter alerted = ExchangeCounter.sentTo(app.context(), "{{alerts.uri}}");
            assertThat(alerted.await(1, Duration.ofSeconds(60))).isTrue();
        }
    }

    @Test
    void withBootstrapTheCreatedTopicsArnIsUsed(@TempDir Path data) throws Exception {
        try (LoopbackProfile resources = LoopbackProfile.forTest(aws, "topic-created");
             SnsTopic created = aws.topic("123456789012", LoopbackAws.uniqueName("alerts-in-moto-account"))) {
            created.stubCreateTopic();
            Map<String, String> p = properties(resources, data);
            p.put("aws.topic-name", created.arn().substring(created.arn().lastIndexOf(':') + 1));
            crossing(resources, p);
            assertThat(created.publishes()).singleElement().satisfies(r ->
                    assertThat(r.getBodyAsString()).contains("TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3A"));
            assertThat(resources.topic().publishes()).isEmpty();
        }
    }

    @Test
    void withoutAnArnTheTopicsNameIsResolvedInTheCallersAccount(@TempDir Path data) throws Exception {
        StubMapping sts = aws.snsServer().stubFor(post(urlEqualTo("/")).withFormParam("Action", equalTo("GetCallerIdentity"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                                + "<Arn>arn:aws:iam::210987654321:user/ops</Arn><UserId>AIDAEXAMPLE</UserId>"
                                + "<Account>210987654321</Account></GetCallerIdentityResult><ResponseMetadata>"
                                + "<RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>"
                                + "</GetCallerIdentityResponse>")));
        try (LoopbackProfile resources = LoopbackProfile.forTest(aws, "topic-by-name");
             SnsTopic named = aws.topic("210987654321", LoopbackAws.uniqueName("alerts-by-name"))) {
            Map<String, String> p = properties(resources, data);
            p.put("aws.bootstrap", "false");
            AwsClients clients = LoopbackProfile.clients(aws);
            AwsBootstrap.ensureTable(clients.dynamoDb(), resources.table());
            AwsBootstrap.ensureBucket(clients.s3(), resources.bucket());
            p.put("aws.sts-endpoint", aws.endpoint(LoopbackAws.Service.SNS)); // the harness's SNS server answers STS here
            p.put("aws.topic-name", named.arn().substring(named.arn().lastIndexOf(':') + 1));
            crossing(resources, p);
            assertThat(named.publishes()).hasSize(1);
        } finally {
            aws.snsServer().removeStub(sts);
        }
    }
}
