package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fixtures and captures shared by the tests, and SDK clients for the loopback servers ({@link LoopbackAws}). */
final class TestSupport {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private TestSupport() {
    }

    // ------------------------------------------------------------------ clients for the loopback servers

    static DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().region(Region.of(LoopbackAws.REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
                .endpointOverride(URI.create(LoopbackAws.shared().endpoint(Service.DYNAMODB))).build();
    }

    static S3Client s3(ExecutionInterceptor... interceptors) {
        return S3Client.builder().region(Region.of(LoopbackAws.REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
                .endpointOverride(URI.create(LoopbackAws.shared().endpoint(Service.S3))).build();
    }

    static SnsClient sns() {
        return SnsClient.builder().region(Region.of(LoopbackAws.REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(LoopbackAws.shared().endpoint(Service.SNS))).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LoopbackAws.ACCESS_KEY, LoopbackAws.SECRET_KEY));
    }

    /** The table of infra/sam.yaml: keys symbol (S, HASH) and timestamp (S, RANGE), on demand. */
    static void createTable(DynamoDbClient ddb, String table) {
        ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("symbol").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("timestamp").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("symbol").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("timestamp").keyType(KeyType.RANGE).build()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ddb.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " did not become ACTIVE");
            }
            Thread.onSpinWait(); // dynalite activates at once (--createTableMs 0)
        }
    }

    /** A Kinesis event fixture, deserialized by the Lambda runtime's own serializer (base64 data included). */
    static KinesisEvent event(String resource) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/events/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return LambdaEventSerializers.serializerFor(KinesisEvent.class, TestSupport.class.getClassLoader())
                    .fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records of {@code event} from index {@code from} on: what Lambda redelivers after a failure. */
    static KinesisEvent from(KinesisEvent event, int from) {
        KinesisEvent redelivery = new KinesisEvent();
        redelivery.setRecords(new ArrayList<>(event.getRecords().subList(from, event.getRecords().size())));
        return redelivery;
    }

    static String sequence(KinesisEvent event, int index) {
        return event.getRecords().get(index).getKinesis().getSequenceNumber();
    }

    /** Form-encoded body (SNS query protocol) as a map. */
    static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    /** SNS message attributes from a form body: name -> [DataType, StringValue]. */
    static Map<String, List<String>> messageAttributes(Map<String, String> form) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
            String p = "MessageAttributes.entry." + i;
            attributes.put(form.get(p + ".Name"),
                    List.of(form.get(p + ".Value.DataType"), form.get(p + ".Value.StringValue")));
        }
        return attributes;
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }

    /** An EMF environment whose sink keeps the serialized EMF documents. */
    static final class CapturedMetrics implements Environment {
        final List<String> documents = new CopyOnWriteArrayList<>();

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public String getType() {
            return "test";
        }

        @Override
        public String getLogGroupName() {
            return "test";
        }

        @Override
        public void configureContext(MetricsContext context) {
        }

        @Override
        public ISink getSink() {
            return new ISink() {
                @Override
                public void accept(MetricsContext context) {
                    try {
                        documents.addAll(context.serialize());
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public CompletableFuture<Void> shutdown() {
                    return CompletableFuture.completedFuture(null);
                }
            };
        }

        /** The value of a metric in the last EMF document. */
        double last(String metric) {
            JsonNode doc = json(documents.get(documents.size() - 1));
            JsonNode value = doc.get(metric);
            if (value == null) {
                throw new AssertionError("metric " + metric + " not in " + doc);
            }
            return value.isArray() ? value.get(0).asDouble() : value.asDouble();
        }
    }
}
