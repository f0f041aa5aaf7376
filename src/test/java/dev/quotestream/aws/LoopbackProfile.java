package dev.quotestream.aws;

import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import dev.quotestream.testing.SnsTopic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The aws profile bound to the shared loopback servers ({@link LoopbackAws}), with resource names of one test's
 * own: its stream, table and bucket (created by the profile's bootstrap) and its SNS topic. Close it to remove
 * the topic's stubs.
 */
public record LoopbackProfile(LoopbackAws aws, String stream, String table, String bucket, SnsTopic topic)
        implements AutoCloseable {

    public static final String ACCOUNT = "000000000000";

    public static LoopbackProfile forTest(LoopbackAws aws, String hint) {
        String name = LoopbackAws.uniqueName(hint);
        return new LoopbackProfile(aws, name, name, name, aws.topic(ACCOUNT, name));
    }

    /** Properties that bind the aws profile to the servers and to this test's resources. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("aws.kinesis-endpoint", aws.endpoint(Service.KINESIS));
        p.put("aws.dynamodb-endpoint", aws.endpoint(Service.DYNAMODB));
        p.put("aws.s3-endpoint", aws.endpoint(Service.S3));
        p.put("aws.sns-endpoint", aws.endpoint(Service.SNS));
        p.put("aws.cbor-enabled", "false");
        p.put("aws.bootstrap", "true");
        p.put("aws.stream", stream);
        p.put("aws.table", table);
        p.put("aws.bucket", bucket);
        p.put("aws.topic-arn", topic.arn());
        p.put("report.topic-arn", topic.arn().replaceFirst(":[^:]+$", ":" + table + "-reports"));
        return p;
    }

    /** The application's own client factory, pointed at the servers (credentials: {@link LoopbackAws#shared}). */
    public static AwsClients clients(LoopbackAws aws) {
        aws.startAll();
        return new AwsClients(LoopbackAws.REGION, new AwsClients.Endpoints(aws.endpoint(Service.KINESIS),
                aws.endpoint(Service.DYNAMODB), aws.endpoint(Service.S3), aws.endpoint(Service.SNS)), 3);
    }

    public static software.amazon.awssdk.services.kinesis.KinesisClient kinesis(AwsClients clients) {
        return clients.build(software.amazon.awssdk.services.kinesis.KinesisClient.builder(),
                clients.endpoints().kinesis());
    }

    @Override
    public void close() {
        topic.close();
    }
}
