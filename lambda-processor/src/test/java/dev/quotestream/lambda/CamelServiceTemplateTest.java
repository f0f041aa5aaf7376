package dev.quotestream.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional ECS Fargate service of the Camel application in infra/sam.yaml: off by default, one task at a time,
 * credentials from its task role with resource-scoped policies, logs in a group with retention. And the reports
 * topic, separate from the alerts topic. (The schemas of these resources: SamTemplateTest.)
 */
class CamelServiceTemplateTest {

    static JsonNode template;
    static JsonNode resources;

    @BeforeAll
    static void load() throws IOException {
        Path repoRoot = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        template = CfnYaml.load(repoRoot.resolve("infra/sam.yaml"));
        resources = template.get("Resources");
    }

    static List<String> camelResources() {
        List<String> names = new ArrayList<>();
        resources.fieldNames().forEachRemaining(n -> {
            if (n.startsWith("Camel")) {
                names.add(n);
            }
        });
        return names;
    }

    @Test
    void theServiceIsOffUnlessAnImageIsGiven() {
        assertThat(template.at("/Parameters/CamelServiceImage/Default").asText()).isEmpty();
        assertThat(template.at("/Conditions/RunCamelService").toString())
                .isEqualTo("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"CamelServiceImage\"},\"\"]}]}");
        assertThat(camelResources()).containsExactlyInAnyOrder("CamelLogGroup", "CamelCluster", "CamelSecurityGroup",
                "CamelExecutionRole", "CamelTaskRole", "CamelTaskDefinition", "CamelService");
        assertThat(camelResources()).allSatisfy(n ->
                assertThat(resources.at("/" + n + "/Condition").asText()).as(n).isEqualTo("RunCamelService"));
        assertThat(template.at("/Outputs/CamelServiceName/Condition").asText()).isEqualTo("RunCamelService");
        // With an image, the network is required (a CloudFormation rule, checked before anything is created).
        JsonNode rule = template.at("/Rules/CamelServiceNeedsANetwork");
        assertThat(rule.get("RuleCondition")).isEqualTo(template.at("/Conditions/RunCamelService"));
        assertThat(rule.get("Assertions").toString()).contains("CamelServiceVpcId", "CamelServiceSubnets");
    }

    @Test
    void oneFargateTaskWithTheImageItsRolesAndItsLogs() {
        JsonNode task = resources.at("/CamelTaskDefinition/Properties");
        assertThat(task.get("RequiresCompatibilities").toString()).isEqualTo("[\"FARGATE\"]");
        assertThat(task.get("NetworkMode").asText()).isEqualTo("awsvpc");
        assertThat(task.at("/TaskRoleArn/Fn::GetAtt/0").asText()).isEqualTo("CamelTaskRole");
        assertThat(task.at("/ExecutionRoleArn/Fn::GetAtt/0").asText()).isEqualTo("CamelExecutionRole");
        JsonNode container = task.at("/ContainerDefinitions/0");
        assertThat(task.get("ContainerDefinitions")).hasSize(1);
        assertThat(container.at("/Image/Ref").asText()).isEqualTo("CamelServiceImage");
        assertThat(container.at("/LogConfiguration/LogDriver").asText()).isEqualTo("awslogs");
        assertThat(container.at("/LogConfiguration/Options/awslogs-group/Ref").asText()).isEqualTo("CamelLogGroup");
        assertThat(container.get("StopTimeout").asInt()).as("room for the 30 s graceful shutdown").isGreaterThan(30);
        // No credentials in the task: the SDK's default chain takes the task role's.
        assertThat(container.toString()).doesNotContain("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "aws.accessKeyId");
        assertThat(resources.at("/CamelLogGroup/Properties/RetentionInDays/Ref").asText()).isEqualTo("LogRetentionInDays");

        JsonNode service = resources.at("/CamelService/Properties");
        assertThat(service.get("LaunchType").asText()).isEqualTo("FARGATE");
        assertThat(service.get("DesiredCount").asInt()).isEqualTo(1);
        // Never two tasks at once (they would fetch, and maybe process, everything twice).
        assertThat(service.at("/DeploymentConfiguration/MaximumPercent").asInt()).isEqualTo(100);
        assertThat(service.at("/DeploymentConfiguration/MinimumHealthyPercent").asInt()).isZero();
        assertThat(service.at("/NetworkConfiguration/AwsvpcConfiguration/SecurityGroups/0/Ref").asText())
                .isEqualTo("CamelSecurityGroup");
        JsonNode group = resources.at("/CamelSecurityGroup/Properties");
        assertThat(group.has("SecurityGroupIngress")).isFalse();
        assertThat(group.get("SecurityGroupEgress")).hasSize(1);
        assertThat(group.at("/SecurityGroupEgress/0/FromPort").asInt()).isEqualTo(443);
        assertThat(group.at("/SecurityGroupEgress/0/ToPort").asInt()).isEqualTo(443);
    }

    @Test
    void theTaskRoleIsScopedToTheStacksResources() {
        Map<String, List<String>> allowed = Map.of(
                "quote-stream", List.of("QuoteStream"),
                "quotes-table", List.of("QuotesTable"),
                "lake-and-reports", List.of("LakeBucket"),
                "publish-alerts-and-reports", List.of("AlertsTopic", "ReportsTopic", "AlertsKey"),
                // Glue also requires its Data Catalog (":catalog") as a resource of database and table actions.
                "report-catalog-and-queries", List.of("RawQuotesCrawler", "GlueDatabaseName", "AthenaWorkGroup",
                        ":catalog\""),
                "send-report-mail", List.of("ReportSenderIdentity"));
        JsonNode policies = resources.at("/CamelTaskRole/Properties/Policies");
        assertThat(policies).hasSize(allowed.size());
        for (JsonNode listed : policies) {
            // a conditional policy: {"Fn::If": [condition, policy, {"Ref": "AWS::NoValue"}]}
            JsonNode policy = listed.has("Fn::If") ? listed.get("Fn::If").get(1) : listed;
            String name = policy.get("PolicyName").asText();
            assertThat(allowed).as("policy " + name).containsKey(name);
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
                assertThat(statement.get("Action").toString()).as(name).doesNotContain("*");
                List<JsonNode> targets = new ArrayList<>();
                statement.get("Resource").forEach(targets::add);
                if (!statement.get("Resource").isArray()) {
                    targets = List.of(statement.get("Resource"));
                }
                for (JsonNode target : targets) {
                    assertThat(target.isTextual()).as(name + ": an ARN built from the stack, never a literal").isFalse();
                    assertThat(allowed.get(name)).as(name + " resource " + target)
                            .anySatisfy(id -> assertThat(target.toString()).contains(id));
                }
            }
        }
        // The report's permissions include creating the raw_data view (Athena DDL runs as the caller).
        assertThat(policies.toString()).contains("glue:CreateTable", "athena:StartQueryExecution", "glue:StartCrawler");
    }

    @Test
    void theExecutionRoleOnlyPullsTheImageAndWritesTheServiceLogs() {
        JsonNode policies = resources.at("/CamelExecutionRole/Properties/Policies");
        for (JsonNode policy : policies) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                if (statement.get("Resource").isTextual() && statement.get("Resource").asText().equals("*")) {
                    // The one action IAM cannot scope to a resource.
                    assertThat(statement.get("Action").toString()).isEqualTo("[\"ecr:GetAuthorizationToken\"]");
                }
            }
        }
        assertThat(policies.toString()).contains("CamelLogGroup", "repository/*").doesNotContain("\"ecr:*\"", "\"logs:*\"");
    }

    @Test
    void theReportMailIsSentAsTheStacksSesIdentityOnly() {
        JsonNode identity = resources.at("/ReportSenderIdentity");
        assertThat(identity.get("Type").asText()).isEqualTo("AWS::SES::EmailIdentity");
        assertThat(identity.get("Condition").asText()).isEqualTo("SendsReportMail");
        assertThat(template.at("/Conditions/SendsReportMail").toString())
                .isEqualTo("{\"Fn::Not\":[{\"Fn::Equals\":[{\"Ref\":\"ReportMailFrom\"},\"\"]}]}");
        assertThat(identity.at("/Properties/EmailIdentity/Fn::If").toString())
                .isEqualTo("[\"HasReportMailDomain\",{\"Ref\":\"ReportMailIdentity\"},{\"Ref\":\"ReportMailFrom\"}]");
        assertThat(template.at("/Parameters/ReportMailFrom/Default").asText()).isEmpty();

        JsonNode conditional = null;
        for (JsonNode listed : resources.at("/CamelTaskRole/Properties/Policies")) {
            if (listed.has("Fn::If")) {
                conditional = listed.get("Fn::If");
            }
        }
        assertThat(conditional).isNotNull();
        assertThat(conditional.get(0).asText()).isEqualTo("SendsReportMail");
        assertThat(conditional.get(2).toString()).isEqualTo("{\"Ref\":\"AWS::NoValue\"}");
        JsonNode statement = conditional.get(1).at("/PolicyDocument/Statement/0");
        assertThat(statement.get("Action").toString()).isEqualTo("[\"ses:SendRawEmail\"]");
        assertThat(statement.at("/Resource/Fn::Sub").asText())
                .isEqualTo("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${ReportSenderIdentity}");
        assertThat(statement.at("/Condition/StringEquals/ses:FromAddress/Ref").asText()).isEqualTo("ReportMailFrom");
        // nowhere else: no other role sends mail, no wildcard
        assertThat(template.toString().split("ses:SendRawEmail", -1)).hasSize(2);
        assertThat(template.toString()).doesNotContain("\"ses:*\"", "ses:SendEmail\"");

        // the curated lake: written by Athena as the task, replaced versions expire, the raw JSON is kept
        assertThat(resources.at("/CamelTaskRole").toString()).contains("${LakeBucket.Arn}/curated/*", "s3:DeleteObject",
                "glue:BatchCreatePartition");
        boolean expiresCurated = false;
        for (JsonNode rule : resources.at("/LakeBucket/Properties/LifecycleConfiguration/Rules")) {
            String prefix = rule.has("Prefix") ? rule.get("Prefix").asText() : "";
            if (prefix.equals("curated/")) {
                expiresCurated = rule.at("/NoncurrentVersionExpiration/NoncurrentDays").asInt() == 7
                        && rule.get("ExpirationInDays") == null;
            }
            if (prefix.equals("raw/")) {
                assertThat(rule.get("ExpirationInDays")).as("the raw JSON is kept").isNull();
            }
        }
        assertThat(expiresCurated).isTrue();
    }

    @Test
    void reportsHaveTheirOwnTopicAndSubscription() {
        JsonNode topic = resources.at("/ReportsTopic/Properties");
        assertThat(topic.at("/TopicName/Ref").asText()).isEqualTo("ReportsTopicName");
        assertThat(template.at("/Parameters/ReportsTopicName/Default").asText()).isEqualTo("stock-quote-reports");
        assertThat(template.at("/Parameters/TopicName/Default").asText()).isEqualTo("stock-quote-alerts");
        assertThat(topic.has("KmsMasterKeyId")).isTrue();
        JsonNode subscription = resources.at("/ReportsEmailSubscription");
        assertThat(subscription.get("Condition").asText()).isEqualTo("HasReportEmail");
        assertThat(subscription.at("/Properties/TopicArn/Ref").asText()).isEqualTo("ReportsTopic");
        assertThat(subscription.at("/Properties/Protocol").asText()).isEqualTo("email");
        assertThat(subscription.at("/Properties/Endpoint/Ref").asText()).isEqualTo("ReportEmail");
        // Alarms stay on the alerts topic; nothing else publishes reports there.
        assertThat(resources.at("/ProcessorRole").toString()).doesNotContain("ReportsTopic");
    }
}
