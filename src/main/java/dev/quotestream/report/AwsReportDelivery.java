package dev.quotestream.report;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.sns.Sns2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS delivery: the full HTML report (chart embedded) and the chart PNG go to S3 under
 * {@code <report.s3-prefix>/dt=YYYY-MM-DD/}, with a presigned GET link to the HTML that expires after
 * {@code report.presign-expiry}. Then, each when configured:
 * <ul>
 *   <li>the e-mail ({@link MailChannel}: Amazon SES through camel-aws2-ses, or SMTP): text + HTML with the chart
 *       inline and the per-symbol table, the link as "the full report";</li>
 *   <li>the reports topic (camel-aws2-sns): the plain-text summary and the link, cut to fit SNS's 256 KiB.</li>
 * </ul>
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
    private final MailChannel mail;
    private final int maxListItems;
    private volatile ProducerTemplate template;

    public AwsReportDelivery(S3Client s3, S3Presigner presigner, String bucket, String prefix, Duration expiry,
                             CamelContext context, String snsUri) {
        this(s3, presigner, bucket, prefix, expiry, context, snsUri, null, 0);
    }

    /**
     * @param snsUri       the reports topic's endpoint, or null for no SNS message
     * @param mail         the e-mail channel, or null for no e-mail
     * @param maxListItems list items a message shows at most (0 = as many as fit)
     */
    public AwsReportDelivery(S3Client s3, S3Presigner presigner, String bucket, String prefix, Duration expiry,
                             CamelContext context, String snsUri, MailChannel mail, int maxListItems) {
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
        this.mail = mail;
        this.maxListItems = maxListItems;
    }

    public String key(RenderedReport report, String extension) {
        return prefix + "/dt=" + report.report().date() + "/" + report.baseName() + "." + extension;
    }

    @Override
    public ReportReceipt deliver(RenderedReport report) {
        String htmlKey = key(report, "html");
        String pngKey = key(report, "png");
        // "UTF-8" as Jetty-based S3 emulators (S3Proxy) canonicalise it; S3 keeps the value as sent.
        s3.putObject(b -> b.bucket(bucket).key(htmlKey).contentType("text/html; charset=UTF-8")
                        .serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(report.html().getBytes(StandardCharsets.UTF_8)));
        s3.putObject(b -> b.bucket(bucket).key(pngKey).contentType("image/png")
                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(report.chartPng()));
        PresignedGetObjectRequest link = presigner.presignGetObject(p -> p.signatureDuration(expiry)
                .getObjectRequest(g -> g.bucket(bucket).key(htmlKey)));
        String url = link.url().toString();
        List<String> locations = new ArrayList<>(List.of("s3://" + bucket + "/" + htmlKey, "s3://" + bucket + "/" + pngKey,
                url));
        if (mail != null) {
            locations.add("mail:" + mail.send(report, url));
        }
        if (snsUri != null) {
            locations.add("sns:" + publish(report, url, link.expiration().toString()));
        }
        LOG.info("Report {} stored at s3://{}/{}; link expires {}", report.report().date(), bucket, htmlKey,
                link.expiration());
        return new ReportReceipt(report.report().date(), List.copyOf(locations));
    }

    /** SNS subjects: at most 100 printable ASCII characters. */
    static String snsSubject(String subject) {
        String ascii = subject.replaceAll("[^\\x20-\\x7E]", "?");
        return ascii.length() <= 100 ? ascii : ascii.substring(0, 99) + "~";
    }

    /** The SNS message: the summary and the link, lists cut to fit SNS's 256 KiB with the subject. */
    static String snsMessage(RenderedReport report, String url, String expires, int maxListItems) {
        long budget = MessageCaps.SNS_MAX_BYTES - snsSubject(report.subject()).length() - 1024;
        String footer = "\nFull report with chart (link valid until " + expires + "):\n" + url + "\n";
        return MessageCaps.fit(report.report(), maxListItems, null, budget,
                items -> ReportRenderer.text(report.report(), new ReportRenderer.Cut(items, null)) + footer,
                m -> m.getBytes(StandardCharsets.UTF_8).length, "SNS report message");
    }

    private String publish(RenderedReport report, String url, String expires) {
        String message = snsMessage(report, url, expires, maxListItems);
        Exchange sent = template().send(snsUri, e -> {
            e.getIn().setBody(message);
            e.getIn().setHeader(Sns2Constants.SUBJECT, snsSubject(report.subject()));
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("SNS publish of the report failed: " + sent.getException().getMessage(),
                    sent.getException());
        }
        String messageId = sent.getMessage().getHeader(Sns2Constants.MESSAGE_ID, String.class);
        LOG.info("Report {} published to the reports topic ({} bytes, message {})", report.report().date(),
                message.getBytes(StandardCharsets.UTF_8).length, messageId);
        return messageId;
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
