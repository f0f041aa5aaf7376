package dev.quotestream.aws;

import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import dev.quotestream.testing.SnsTopic;
import dev.quotestream.testing.TcpProxy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The harness keeps its promises: one server per service per JVM, tests isolated by names (an SNS topic in any
 * account sees only its own stubs and requests), and a test's proxy takes a service down for its own clients only.
 */
class LoopbackAwsTest {

    final LoopbackAws aws = LoopbackAws.shared();

    /** Clients with one attempt per call, so a stubbed error surfaces as it is. */
    AwsClients clients(String dynamoDbEndpoint) {
        return new AwsClients(LoopbackAws.REGION, new AwsClients.Endpoints(aws.endpoint(Service.KINESIS),
                dynamoDbEndpoint, aws.endpoint(Service.S3), aws.endpoint(Service.SNS)), 1);
    }

    @Test
    void eachServiceStartsOncePerJvm() {
        aws.startAll();
        assertThat(LoopbackAws.shared()).isSameAs(aws);
        for (Service service : Service.values()) {
            assertThat(aws.endpoint(service)).isEqualTo("http://127.0.0.1:" + aws.port(service));
            assertThat(aws.starts(service)).as(service + " starts in this JVM").isEqualTo(1);
        }
    }

    @Test
    void topicsInAnyAccountSeeOnlyTheirOwnStubsAndRequests() {
        try (SnsTopic down = aws.topic("111122223333", LoopbackAws.uniqueName("outage"));
             SnsTopic up = aws.topic(LoopbackProfile.ACCOUNT, LoopbackAws.uniqueName("fine"));
             SnsClient sns = clients(aws.endpoint(Service.DYNAMODB)).sns()) {
            assertThat(down.arn()).matches("arn:aws:sns:us-east-1:111122223333:outage-\\d+");
            assertThat(sns.getTopicAttributes(b -> b.topicArn(down.arn())).attributes())
                    .containsEntry("TopicArn", down.arn());
            down.stub(SnsTopic.publish().willReturn(aResponse().withStatus(503)));

            assertThatThrownBy(() -> sns.publish(b -> b.topicArn(down.arn()).message("to the outage")))
                    .isInstanceOfSatisfying(SnsException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            assertThat(sns.publish(b -> b.topicArn(up.arn()).message("to the fine one")).messageId())
                    .isEqualTo("567910cd-659e-55d4-8ccb-5aaf14679dc0");
            assertThat(down.publishes()).singleElement()
                    .satisfies(r -> assertThat(r.getBodyAsString()).contains("to+the+outage"));
            assertThat(up.publishEvents()).singleElement().satisfies(e -> {
                assertThat(e.getRequest().getBodyAsString()).contains("to+the+fine+one");
                assertThat(e.getResponse().getStatus()).isEqualTo(200);
            });

            down.close(); // its stubs go: the documented answer again
            down.resetRequests();
            sns.publish(b -> b.topicArn(down.arn()).message("after the outage"));
            assertThat(down.publishes()).singleElement()
                    .satisfies(r -> assertThat(r.getBodyAsString()).contains("after+the+outage"));
            assertThat(up.publishes()).hasSize(1);
        }
    }

    @Test
    void aProxyTakesAServiceDownForItsOwnClientsOnly() throws IOException {
        for (Service service : Service.values()) {
            try (TcpProxy proxy = aws.proxy(service)) {
                for (int cycle = 1; cycle <= 5; cycle++) {
                    assertThat(accepts(proxy.port())).as(service + " through its proxy, cycle " + cycle).isTrue();
                    proxy.down();
                    assertThat(accepts(proxy.port())).as(service + " proxy down, cycle " + cycle).isFalse();
                    assertThat(accepts(aws.port(service))).as(service + " itself").isTrue();
                    proxy.up();
                }
            }
        }
        String table = LoopbackAws.uniqueName("proxied");
        try (TcpProxy proxy = aws.proxy(Service.DYNAMODB);
             DynamoDbClient viaProxy = clients(proxy.endpoint()).dynamoDb();
             DynamoDbClient direct = clients(aws.endpoint(Service.DYNAMODB)).dynamoDb()) {
            AwsBootstrap.ensureTable(viaProxy, table);
            proxy.down();
            assertThatThrownBy(() -> viaProxy.describeTable(b -> b.tableName(table))).isInstanceOf(SdkClientException.class);
            assertThat(direct.listTables().tableNames()).contains(table);
            proxy.up();
            assertThat(viaProxy.describeTable(b -> b.tableName(table)).table().tableName()).isEqualTo(table);
        }
    }

    @Test
    void uniqueNamesAreValidForEveryService() {
        List<String> names = List.of(LoopbackAws.uniqueName("happyPathEndToEnd"),
                LoopbackAws.uniqueName("happyPathEndToEnd"), LoopbackAws.uniqueName("__"),
                LoopbackAws.uniqueName("A very long hint, longer than any bucket name should start with"));
        // S3 bucket rules are the strictest of the four: 3-63 lower-case letters, digits and hyphens.
        assertThat(names).doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(n).matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]"));
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
