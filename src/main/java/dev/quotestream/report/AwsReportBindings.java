package dev.quotestream.report;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Duration;

/**
 * The aws profile's report beans: Glue crawler refresh and the {@code raw_data} view (created through Athena when
 * missing), Athena queries (camel-aws2-athena), S3 + presigned link + reports topic (camel-aws2-sns) delivery. Same
 * route (routes/report.yaml) and bean names as the local profile.
 * <p>
 * Shared AWS settings, with the project's defaults: {@code aws.region} (us-east-1), {@code aws.endpoint} (blank =
 * real AWS) and its per-service overrides, {@code aws.bucket} (stock-quotes). The clients are the report's own
 * ({@code report*Client} beans).
 */
public class AwsReportBindings implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ReportSettings settings = ReportSettings.from(context);
        String endpoint = optional(context, "aws.endpoint", "");
        AwsReportClients aws = AwsReportClients.of(optional(context, "aws.region", "us-east-1"),
                optional(context, "aws.glue-endpoint", endpoint), optional(context, "aws.athena-endpoint", endpoint),
                optional(context, "aws.s3-endpoint", endpoint), optional(context, "aws.sns-endpoint", endpoint),
                optional(context, "aws.ses-endpoint", endpoint));
        String bucket = optional(context, "aws.bucket", "stock-quotes");

        GlueClient glue = aws.glue();
        AthenaClient athena = aws.athena(new AthenaExecutionParameters());
        S3Client s3 = aws.s3();
        S3Presigner presigner = aws.presigner();
        SnsClient sns = aws.sns();
        SesClient ses = aws.ses();
        context.getRegistry().bind("reportGlueClient", glue);
        context.getRegistry().bind("reportSesClient", ses);
        context.getRegistry().bind("reportAthenaClient", athena);
        context.getRegistry().bind("reportS3Client", s3);
        context.getRegistry().bind("reportSnsClient", sns);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                glue.close();
                athena.close();
                s3.close();
                presigner.close();
                sns.close();
                ses.close();
            }
        }, true, true);

        ReportSettings.bindOutcome(context);
        context.getRegistry().bind("reportRequests", settings.requests());
        AthenaSqlExecutor athenaSql = new AthenaSqlExecutor(context, athenaStartUri(context),
                "aws2-athena:report-results?amazonAthenaClient=#reportAthenaClient"
                        + "&operation=getQueryResults&outputType=SelectList&maxResults="
                        + ReportSettings.prop(context, "report.athena.page-size"));
        GlueCatalogRefresher crawler = new GlueCatalogRefresher(glue,
                ReportSettings.prop(context, "report.glue.crawler"),
                Duration.parse(ReportSettings.prop(context, "report.glue.timeout")),
                Duration.parse(ReportSettings.prop(context, "report.glue.poll-interval")));
        context.getRegistry().bind("catalogRefresher", new AwsCatalogRefresher(crawler,
                new AthenaRawDataView(glue, ReportSettings.prop(context, "report.glue.database"), athenaSql)));
        context.getRegistry().bind("lakeCompactor", new AthenaLakeCompactor(glue, s3, athenaSql,
                ReportSettings.prop(context, "report.glue.database"), bucket, ReportSettings.prop(context, "lake.prefix"),
                ReportSettings.prop(context, "lake.curated-prefix")));
        context.getRegistry().bind("reportQueryRunner", settings.queryRunner(athenaSql));
        context.getRegistry().bind("reportRenderer", settings.renderer());
        String topicArn = optional(context, "report.topic-arn", "");
        context.getRegistry().bind("reportDelivery", new AwsReportDelivery(s3, presigner, bucket,
                ReportSettings.prop(context, "report.s3-prefix"),
                Duration.parse(ReportSettings.prop(context, "report.presign-expiry")), context,
                topicArn.isEmpty() ? null : "aws2-sns:" + topicArn + "?amazonSNSClient=#reportSnsClient&autoCreateTopic=false",
                mail(context, settings), settings.maxListItems()));
    }

    /**
     * The e-mail channel: SMTP when {@code report.mail.host} is set, else Amazon SES (SendRawEmail through
     * camel-aws2-ses, from {@code report.mail.from}, a verified SES identity) when {@code report.mail.to} is set,
     * else none.
     */
    static MailChannel mail(CamelContext context, ReportSettings settings) {
        MailChannel smtp = settings.smtp(context);
        if (smtp != null) {
            return smtp;
        }
        ReportMail mail = settings.mail(context);
        if (mail == null) {
            return null;
        }
        ReportMail capped = mail.maxBytes() <= MessageCaps.SES_MAX_BYTES ? mail
                : new ReportMail(mail.from().toString(), mail.toList(), settings.maxListItems(), MessageCaps.SES_MAX_BYTES);
        return new MailChannel(context, "aws2-ses://" + capped.from().getAddress() + "?amazonSESClient=#reportSesClient"
                + "&to=RAW(" + capped.toList() + ")", "SES", capped);
    }

    /** startQueryExecution with the component's wait; workgroup and output location from the properties. */
    static String athenaStartUri(CamelContext context) {
        StringBuilder uri = new StringBuilder("aws2-athena:report?amazonAthenaClient=#reportAthenaClient")
                .append("&operation=startQueryExecution")
                .append("&database=RAW(").append(ReportSettings.prop(context, "report.glue.database")).append(')')
                .append("&workGroup=RAW(").append(ReportSettings.prop(context, "report.athena.workgroup")).append(')')
                .append("&waitTimeout=").append(Duration.parse(ReportSettings.prop(context, "report.athena.wait-timeout")).toMillis())
                .append("&initialDelay=").append(Duration.parse(ReportSettings.prop(context, "report.athena.initial-delay")).toMillis())
                .append("&delay=").append(Duration.parse(ReportSettings.prop(context, "report.athena.poll-interval")).toMillis())
                .append("&maxAttempts=").append(ReportSettings.prop(context, "report.athena.max-attempts"))
                .append("&retry=").append(ReportSettings.prop(context, "report.athena.retry"));
        String output = optional(context, "report.athena.output-location", "");
        if (!output.isEmpty()) {
            uri.append("&outputLocation=RAW(").append(output).append(')');
        }
        return uri.toString();
    }

    static String optional(CamelContext context, String name, String fallback) {
        return ReportSettings.optional(context, name, fallback);
    }
}
