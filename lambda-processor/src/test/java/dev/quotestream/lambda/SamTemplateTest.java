package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * infra/sam.yaml against the official schemas copied into src/test/resources/schemas (see SOURCE.md there),
 * offline: sam.schema.json (draft-04) for the whole template and its AWS::Serverless::* resources, and one
 * CloudFormation registry schema (draft-07) per plain resource type for its Properties. Then the
 * properties that matter: event source settings, encryption, alarms, least privilege.
 */
class SamTemplateTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Map<String, String> CFN_SCHEMAS = Map.of(
            "AWS::Athena::WorkGroup", "aws-athena-workgroup.json",
            "AWS::CloudWatch::Alarm", "aws-cloudwatch-alarm.json",
            "AWS::DynamoDB::Table", "aws-dynamodb-table.json",
            "AWS::Glue::Crawler", "aws-glue-crawler.json",
            "AWS::Glue::Database", "aws-glue-database.json",
            "AWS::IAM::Role", "aws-iam-role.json",
            "AWS::Kinesis::Stream", "aws-kinesis-stream.json",
            "AWS::S3::Bucket", "aws-s3-bucket.json",
            "AWS::SNS::Topic", "aws-sns-topic.json");
    /** Types added later, from cfn-lint's package data (see SOURCE-cfn-lint.md beside SOURCE.md). */
    static final Map<String, String> REPO_CFN_SCHEMAS = Map.of(
            "AWS::EC2::SecurityGroup", "aws-ec2-securitygroup.json",
            "AWS::ECS::Cluster", "aws-ecs-cluster.json",
            "AWS::ECS::Service", "aws-ecs-service.json",
            "AWS::ECS::TaskDefinition", "aws-ecs-taskdefinition.json",
            "AWS::SES::EmailIdentity", "aws-ses-emailidentity.json");

    static Path repoRoot;
    static JsonNode template;
    static JsonNode resources;

    @BeforeAll
    static void load() throws IOException {
        repoRoot = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        template = CfnYaml.load(repoRoot.resolve("infra/sam.yaml"));
        resources = template.get("Resources");
    }

    // ------------------------------------------------------------------------------------- schemas

    @Test
    void theTemplateIsValidAgainstTheSamSchema() throws IOException {
        JsonNode samSchema = schemaFile("sam.schema.json");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(samSchema);
        Set<ValidationMessage> errors = schema.validate(template);
        assertThat(errors).as("sam.schema.json errors").isEmpty();
        // It checks the serverless resources strictly: a misspelt property must fail.
        ObjectNode broken = template.deepCopy();
        ((ObjectNode) broken.at("/Resources/QuoteProcessorFunction/Properties")).put("MemmorySize", 512);
        assertThat(schema.validate(broken)).as("a typo is caught").isNotEmpty();
    }

    @Test
    void everyPlainResourceWithARegistrySchemaHasValidProperties() throws IOException {
        JsonSchemaFactory draft7 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        Map<String, JsonSchema> loaded = new TreeMap<>();
        Map<String, Set<ValidationMessage>> errors = new TreeMap<>();
        Set<String> validatedTypes = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            String type = resource.getValue().get("Type").asText();
            String file = REPO_CFN_SCHEMAS.getOrDefault(type, CFN_SCHEMAS.get(type));
            if (file == null) {
                continue;
            }
            JsonSchema schema = loaded.computeIfAbsent(type, t -> cfnSchema(draft7, file));
            Set<ValidationMessage> found = schema.validate(resource.getValue().get("Properties"));
            validatedTypes.add(type);
            if (!found.isEmpty()) {
                errors.put(resource.getKey() + " (" + type + ")", found);
            }
        }
        assertThat(errors).as("CloudFormation registry schema errors").isEmpty();
        Set<String> expectedTypes = new HashSet<>(CFN_SCHEMAS.keySet());
        expectedTypes.addAll(REPO_CFN_SCHEMAS.keySet());
        assertThat(validatedTypes).containsExactlyInAnyOrderElementsOf(expectedTypes);

        // The schemas do bite: a wrong type, a non-intrinsic object and an unknown property are errors.
        JsonNode table = resources.at("/QuotesTable/Properties").deepCopy();
        ((ObjectNode) table).put("BillingMode", 5);
        assertThat(loaded.get("AWS::DynamoDB::Table").validate(table)).isNotEmpty();
        ((ObjectNode) table).putObject("BillingMode").put("Mode", "PAY_PER_REQUEST");
        assertThat(loaded.get("AWS::DynamoDB::Table").validate(table)).isNotEmpty();
        JsonNode stream = resources.at("/QuoteStream/Properties").deepCopy();
        ((ObjectNode) stream).put("RetentionHours", 24);
        assertThat(loaded.get("AWS::Kinesis::Stream").validate(stream)).isNotEmpty();
        JsonNode task = resources.at("/CamelTaskDefinition/Properties").deepCopy();
        ((ObjectNode) task).put("Cpus", "512");
        assertThat(loaded.get("AWS::ECS::TaskDefinition").validate(task)).isNotEmpty();
        JsonNode group = resources.at("/CamelSecurityGroup/Properties").deepCopy();
        ((ObjectNode) group).put("GroupDescription", "HTTPS out [ok]");
        assertThat(loaded.get("AWS::EC2::SecurityGroup").validate(group)).isEmpty();
        ((ObjectNode) group).put("GroupDescription", "not <allowed>");
        assertThat(loaded.get("AWS::EC2::SecurityGroup").validate(group)).isNotEmpty();
        assertThat(javaPattern("^([a-z@[\\]+=])*$")).isEqualTo("^([a-z@\\[\\]+=])*$");
    }

    /** Draft-07, the remote $schema removed, every property subschema also accepting an intrinsic function. */
    private static JsonSchema cfnSchema(JsonSchemaFactory factory, String file) {
        try {
            ObjectNode schema = (ObjectNode) schemaFile("cfn-resource-schemas/" + file);
            schema.remove("$schema");
            schema.remove("$id");
            javaPatterns(schema);
            acceptIntrinsics(schema);
            return factory.getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** A schema of src/test/resources/schemas, read from the test class path. */
    static JsonNode schemaFile(String path) throws IOException {
        try (InputStream in = SamTemplateTest.class.getResourceAsStream("/schemas/" + path)) {
            if (in == null) {
                fail("missing test resource /schemas/" + path + " (lambda-processor/src/test/resources/schemas)");
            }
            return MAPPER.readTree(in);
        }
    }

    /**
     * The schemas' "pattern"s are ECMAScript regular expressions; the validator compiles them with java.util.regex.
     * They differ in one construct these files use: a bare '[' inside a character class is a literal in ECMAScript
     * and opens a nested class in Java (aws-ec2-securitygroup.json: {@code [a-z,...@[\]+=...]}). Escape it.
     */
    static void javaPatterns(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.get("pattern") != null && object.get("pattern").isTextual()) {
                object.put("pattern", javaPattern(object.get("pattern").asText()));
            }
            object.elements().forEachRemaining(SamTemplateTest::javaPatterns);
        } else if (node instanceof ArrayNode array) {
            array.forEach(SamTemplateTest::javaPatterns);
        }
    }

    static String javaPattern(String ecma) {
        StringBuilder java = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < ecma.length(); i++) {
            char c = ecma.charAt(i);
            if (c == '\\' && i + 1 < ecma.length()) {
                java.append(c).append(ecma.charAt(++i));
                continue;
            }
            if (c == '[' && inClass) {
                java.append("\\[");
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']' && inClass) {
                inClass = false;
            }
            java.append(c);
        }
        return java.toString();
    }

    /** {"Ref": ...}, {"Fn::...": ...} or {"Condition": ...}: exactly one key. */
    static ObjectNode intrinsic() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", "object").put("minProperties", 1).put("maxProperties", 1).put("additionalProperties", false);
        node.putObject("patternProperties").putObject("^(Ref|Condition|Fn::[A-Za-z]+)$");
        return node;
    }

    static JsonNode orIntrinsic(JsonNode subschema) {
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
        ArrayNode anyOf = wrapped.putArray("anyOf");
        anyOf.add(intrinsic());
        anyOf.add(subschema);
        return wrapped;
    }

    static void acceptIntrinsics(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(SamTemplateTest::acceptIntrinsics);
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode child = object.get(name);
            acceptIntrinsics(child);
            if ((name.equals("properties") || name.equals("patternProperties")) && child instanceof ObjectNode props) {
                List<String> keys = new ArrayList<>();
                props.fieldNames().forEachRemaining(keys::add);
                keys.forEach(k -> props.set(k, orIntrinsic(props.get(k))));
            } else if ((name.equals("items") || name.equals("additionalProperties")) && child instanceof ObjectNode) {
                object.set(name, orIntrinsic(child));
            }
        }
    }

    // ------------------------------------------------------------------------- what matters

    @Test
    void theFunctionIsJava21WithSnapStartAndTheKinesisEventSourceAsSpecified() throws Exception {
        JsonNode fn = resources.at("/QuoteProcessorFunction/Properties");
        assertThat(fn.get("Runtime").asText()).isEqualTo("java21");
        assertThat(fn.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(fn.get("AutoPublishAlias").asText()).isNotBlank();
        assertThat(fn.at("/MemorySize/Ref").asText()).isEqualTo("MemorySize");
        assertThat(fn.at("/LoggingConfig/LogGroup/Ref").asText()).isEqualTo("ProcessorLogGroup");
        assertThat(resources.at("/ProcessorLogGroup/Properties/RetentionInDays/Ref").asText()).isEqualTo("LogRetentionInDays");
        // The handler names a real RequestStreamHandler of this artifact (it reads each record itself: bad base64 is one
        // bad record), and CodeUri is this project's shaded jar.
        String[] handler = fn.get("Handler").asText().split("::");
        Class<?> handlerClass = Class.forName(handler[0], false, getClass().getClassLoader());
        assertThat(RequestStreamHandler.class).isAssignableFrom(handlerClass);
        assertThat(handler[1]).isEqualTo("handleRequest");
        assertThat(repoRoot.resolve("infra").resolve(fn.get("CodeUri").asText()).normalize())
                .isEqualTo(repoRoot.resolve("lambda-processor/target/lambda-processor.jar"));
        assertThat(fn.at("/Environment/Variables").fieldNames()).toIterable()
                .contains("TABLE_NAME", "BUCKET_NAME", "TOPIC_ARN", "ANOMALY_THRESHOLD_PERCENT");

        JsonNode events = fn.get("Events");
        assertThat(events.size()).isEqualTo(1);
        JsonNode kinesis = events.elements().next();
        assertThat(kinesis.get("Type").asText()).isEqualTo("Kinesis");
        JsonNode p = kinesis.get("Properties");
        assertThat(p.at("/Stream/Fn::GetAtt/0").asText()).isEqualTo("QuoteStream");
        assertThat(p.at("/BatchSize/Ref").asText()).isEqualTo("BatchSize");
        assertThat(template.at("/Parameters/BatchSize/Default").asInt()).isEqualTo(10);
        assertThat(p.at("/MaximumBatchingWindowInSeconds/Ref").asText()).isEqualTo("MaximumBatchingWindowInSeconds");
        assertThat(p.at("/StartingPosition/Ref").asText()).isEqualTo("StartingPosition");
        assertThat(p.at("/Enabled/Ref").asText()).isEqualTo("ProcessWithLambda");
        assertThat(template.at("/Parameters/ProcessWithLambda/Default").asText()).isEqualTo("true");
        assertThat(p.get("BisectBatchOnFunctionError").asBoolean()).isTrue();
        assertThat(p.at("/MaximumRetryAttempts/Ref").asText()).isEqualTo("MaximumRetryAttempts");
        assertThat(p.at("/MaximumRecordAgeInSeconds/Ref").asText()).isEqualTo("MaximumRecordAgeInSeconds");
        assertThat(p.get("FunctionResponseTypes")).containsExactly(MAPPER.getNodeFactory().textNode("ReportBatchItemFailures"));
        assertThat(p.at("/DestinationConfig/OnFailure/Type").asText()).isEqualTo("SQS");
        String queue = p.at("/DestinationConfig/OnFailure/Destination/Fn::GetAtt/0").asText();
        assertThat(resources.at("/" + queue + "/Type").asText()).isEqualTo("AWS::SQS::Queue");
        assertThat(resources.at("/" + queue + "/Properties/SqsManagedSseEnabled").asBoolean()).isTrue();
    }

    @Test
    void dataAtRestIsEncryptedAndTheBucketIsPrivateAndTlsOnly() {
        JsonNode stream = resources.at("/QuoteStream/Properties");
        assertThat(stream.get("RetentionPeriodHours").asInt()).isEqualTo(24);
        assertThat(stream.at("/ShardCount/Ref").asText()).isEqualTo("ShardCount");
        assertThat(stream.at("/StreamEncryption/EncryptionType").asText()).isEqualTo("KMS");

        JsonNode table = resources.at("/QuotesTable/Properties");
        assertThat(table.get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.at("/KeySchema/0/AttributeName").asText()).isEqualTo("symbol");
        assertThat(table.at("/KeySchema/0/KeyType").asText()).isEqualTo("HASH");
        assertThat(table.at("/KeySchema/1/AttributeName").asText()).isEqualTo("timestamp");
        assertThat(table.at("/KeySchema/1/KeyType").asText()).isEqualTo("RANGE");
        assertThat(table.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean()).isTrue();
        assertThat(table.at("/SSESpecification/SSEEnabled").asBoolean()).isTrue();

        JsonNode bucket = resources.at("/LakeBucket/Properties");
        assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
        assertThat(bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").asText())
                .isIn("AES256", "aws:kms");
        JsonNode block = bucket.get("PublicAccessBlockConfiguration");
        assertThat(List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"))
                .allSatisfy(flag -> assertThat(block.get(flag).asBoolean()).as(flag).isTrue());
        JsonNode archive = bucket.at("/LifecycleConfiguration/Rules/0");
        assertThat(archive.get("Prefix").asText()).isEqualTo("raw/");
        assertThat(archive.at("/Transitions/0/TransitionInDays/Ref").asText()).isEqualTo("ArchiveAfterDays");
        assertThat(archive.at("/Transitions/0/StorageClass/Ref").asText()).isEqualTo("ArchiveStorageClass");

        JsonNode deny = resources.at("/LakeBucketPolicy/Properties/PolicyDocument/Statement/0");
        assertThat(resources.at("/LakeBucketPolicy/Properties/Bucket/Ref").asText()).isEqualTo("LakeBucket");
        assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
        assertThat(deny.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");

        assertThat(resources.at("/AlertsTopic/Properties/KmsMasterKeyId").isMissingNode()).isFalse();
        assertThat(resources.at("/AlertsEmailSubscription/Properties/Protocol").asText()).isEqualTo("email");
        assertThat(resources.at("/AlertsEmailSubscription/Properties/Endpoint/Ref").asText()).isEqualTo("AlertEmail");
        assertThat(resources.at("/AthenaWorkGroup/Properties/WorkGroupConfiguration/BytesScannedCutoffPerQuery/Ref").asText())
                .isEqualTo("AthenaBytesScannedCutoff");
        assertThat(resources.at("/AthenaWorkGroup/Properties/WorkGroupConfiguration/ResultConfiguration/OutputLocation/Fn::Sub").asText())
                .startsWith("s3://${LakeBucket}/");
    }

    @Test
    void theThreeAlarmsGoToTheTopic() {
        JsonNode errorRate = alarm("ProcessorErrorRateAlarm");
        assertThat(errorRate.get("Threshold").asDouble()).isEqualTo(5);
        assertThat(errorRate.get("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(errorRate.at("/Metrics/0/Expression").asText()).contains("100 * errors / invocations");
        assertThat(metricNames(errorRate)).containsExactlyInAnyOrder("Errors", "Invocations");

        JsonNode iteratorAge = alarm("StreamIteratorAgeAlarm");
        assertThat(iteratorAge.get("MetricName").asText()).isEqualTo("GetRecords.IteratorAgeMilliseconds");
        assertThat(iteratorAge.get("Threshold").asDouble()).isEqualTo(60000);
        assertThat(iteratorAge.at("/Dimensions/0/Value/Ref").asText()).isEqualTo("QuoteStream");

        JsonNode throttles = alarm("TableThrottleAlarm");
        assertThat(metricNames(throttles)).containsExactlyInAnyOrder("ReadThrottleEvents", "WriteThrottleEvents");
        assertThat(throttles.get("Threshold").asDouble()).isEqualTo(0);
    }

    private static JsonNode alarm(String name) {
        JsonNode alarm = resources.at("/" + name + "/Properties");
        assertThat(alarm.isMissingNode()).as(name).isFalse();
        assertThat(alarm.at("/AlarmActions/0/Ref").asText()).as(name + " action").isEqualTo("AlertsTopic");
        return alarm;
    }

    private static List<String> metricNames(JsonNode alarm) {
        List<String> names = new ArrayList<>();
        alarm.get("Metrics").forEach(m -> {
            if (m.has("MetricStat")) {
                names.add(m.at("/MetricStat/Metric/MetricName").asText());
            }
        });
        return names;
    }

    @Test
    void iamIsLeastPrivilege() {
        Set<String> dataResources = Set.of("QuotesTable", "LakeBucket", "AlertsTopic");
        for (String role : List.of("ProcessorRole", "CrawlerRole")) {
            for (JsonNode policy : resources.at("/" + role + "/Properties/Policies")) {
                Set<String> referenced = new HashSet<>();
                for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                    String where = role + "/" + policy.get("PolicyName").asText();
                    assertThat(statement.get("Effect").asText()).as(where).isEqualTo("Allow");
                    List<String> actions = texts(statement.get("Action"));
                    assertThat(actions).as(where + " actions").isNotEmpty()
                            .allSatisfy(a -> assertThat(a).doesNotContain("*"));
                    JsonNode resource = statement.get("Resource");
                    assertThat(resource).as(where + " resource").isNotNull();
                    List<JsonNode> targets = new ArrayList<>();
                    if (resource.isArray()) {
                        resource.forEach(targets::add);
                    } else {
                        targets.add(resource);
                    }
                    for (JsonNode target : targets) {
                        assertThat(target.isTextual() ? target.asText() : "ARN").as(where + " resource").isNotEqualTo("*");
                        referenced.addAll(logicalIds(target));
                        if (target.isTextual()) {
                            assertThat(target.asText()).startsWith("arn:");
                        }
                    }
                }
                if (role.equals("ProcessorRole")) {
                    assertThat(referenced).as("one resource per policy: " + policy.get("PolicyName")).hasSize(1);
                }
            }
        }
        // The crawler's role reads only the raw/ prefix.
        JsonNode read = resources.at("/CrawlerRole/Properties/Policies/0/PolicyDocument/Statement");
        assertThat(read.at("/0/Resource/Fn::Sub").asText()).isEqualTo("${LakeBucket.Arn}/raw/*");
        assertThat(texts(read.at("/0/Action"))).containsExactly("s3:GetObject");
        assertThat(texts(read.at("/1/Action"))).containsExactly("s3:ListBucket");
        assertThat(read.at("/1/Condition/StringLike/s3:prefix").toString()).contains("raw/");
        assertThat(resources.at("/RawQuotesCrawler/Properties/Targets/S3Targets/0/Path/Fn::Sub").asText())
                .isEqualTo("s3://${LakeBucket}/raw/");
        // The data resources are granted by name, never by wildcard action, anywhere in the template.
        for (String id : dataResources) {
            assertThat(template.toString()).as(id).doesNotContain("\"" + id.toLowerCase() + ":*\"");
        }
        assertThat(template.toString()).doesNotContain("\"dynamodb:*\"").doesNotContain("\"sns:*\"");
    }

    @Test
    void theOutputsGiveTheCamelAwsProfileEverythingItNeeds() {
        assertThat(template.get("Outputs").fieldNames()).toIterable().contains("Region", "StreamName", "TableName",
                "BucketName", "TopicArn", "AthenaWorkGroup", "GlueDatabase", "GlueCrawler", "FunctionName",
                "FailureQueueUrl");
        assertThat(template.at("/Parameters/StreamName/Default").asText()).isEqualTo("stock-quotes");
        assertThat(template.at("/Parameters/TableName/Default").asText()).isEqualTo("stock-quotes");
        assertThat(template.at("/Parameters/TopicName/Default").asText()).isEqualTo("stock-quote-alerts");
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    /** Logical ids an ARN expression points at: Ref, Fn::GetAtt, or ${X} / ${X.Arn} in Fn::Sub. */
    private static Set<String> logicalIds(JsonNode target) {
        Set<String> ids = new HashSet<>();
        if (target.has("Ref")) {
            ids.add(target.get("Ref").asText());
        } else if (target.has("Fn::GetAtt")) {
            ids.add(target.get("Fn::GetAtt").get(0).asText());
        } else if (target.has("Fn::Sub")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)(\\.[A-Za-z]+)?}")
                    .matcher(target.get("Fn::Sub").asText());
            while (m.find()) {
                if (resources.has(m.group(1))) {
                    ids.add(m.group(1));
                }
            }
        }
        return ids;
    }
}
