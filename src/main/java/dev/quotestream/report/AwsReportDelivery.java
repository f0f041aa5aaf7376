package dev.quotestream.report;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.sns.Sns2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * AWS delivery: the full HTML report (chart embedded) and the chart PNG go to S3 under
 * {@code <report.s3-prefix>/dt=YYYY-MM-DD/}; the report topic (camel-aws2-sns) gets the plain-text summary plus a
 * presigned GET link to the HTML that expires after {@code report.presign-expiry}. Email subscribers of the topic
 * receive that text as the email body.
 */
public class AwsReportDelivery implements ReportDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(AwsReportDelivery.class);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final Duration expiry;
    private final CamelContext context;
    private final String snsUri;
    private volatile ProducerTemplate template;

    public AwsReportDelivery(S3Client s3, S3Presigner presigner, String bucket, String prefix, Duration expiry,
                             CamelContext context, String snsUri) {
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("report.presign-expiry must be within (0, 7 days]: " + expiry);
        }
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.expiry = expiry;
        this.context = context;
        this.snsUri = snsUri;
    }

    public String key(RenderedReport report, String extension) {
        return prefix + "/dt=" + report.report().date() + "/" + report.baseName() + "." + extension;
    }

    @Override
    public ReportReceipt deliver(RenderedReport report) {
        String htmlKey = key(report, "html");
        String pngKey = key(report, "png");
        // "UTF-8" as Jetty-based S3 emulators (S3Proxy) canonicalise it; S3 keeps the value as sent.
        s3.putObject(b -> b.bucket(bucket).key(htmlKey).contentType("text/html; charset=UTF-8"),
                RequestBody.fromBytes(report.html().getBytes(StandardCharsets.UTF_8)));
        s3.putObject(b -> b.bucket(bucket).key(pngKey).contentType("image/png"), RequestBody.fromBytes(report.chartPng()));
        PresignedGetObjectRequest link = presigner.presignGetObject(p -> p.signatureDuration(expiry)
                .getObjectRequest(g -> g.bucket(bucket).key(htmlKey)));
        String message = report.text() + "\nFull report with chart (link valid until " + link.expiration() + "):\n"
                + link.url() + "\n";
        Exchange sent = template().send(snsUri, e -> {
            e.getIn().setBody(message);
            e.getIn().setHeader(Sns2Constants.SUBJECT, report.subject());
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("SNS publish of the report failed: " + sent.getException().getMessage(),
                    sent.getException());
        }
        String messageId = sent.getMessage().getHeader(Sns2Constants.MESSAGE_ID, String.class);
        LOG.info("Report {} stored at s3://{}/{} and published to SNS (message {}); link expires {}",
                report.report().date(), bucket, htmlKey, messageId, link.expiration());
        return new ReportReceipt(report.report().date(), List.of("s3://" + bucket + "/" + htmlKey,
                "s3://" + bucket + "/" + pngKey, link.url().toString(), "sns:" + messageId));
    }

    private ProducerTemplate template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        return template;
    }
}
