package dev.quotestream.report;

import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.ses.Ses2Constants;
import org.apache.camel.component.mail.MailConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the report e-mail ({@link ReportMail}) to a Camel endpoint that takes a {@link MimeMessage} as it is:
 * camel-mail ({@code smtp://} or {@code smtps://}, the message's own recipients) or camel-aws2-ses
 * ({@code aws2-ses://<from>?to=...}, which sends it with SendRawEmail). The endpoint is built from the
 * {@code report.mail.*} properties by the profile's bindings.
 */
public class MailChannel {

    private static final Logger LOG = LoggerFactory.getLogger(MailChannel.class);

    private final CamelContext context;
    private final String uri;
    private final String name;
    private final ReportMail mail;
    private volatile ProducerTemplate template;

    public MailChannel(CamelContext context, String uri, String name, ReportMail mail) {
        this.context = context;
        this.uri = uri;
        this.name = name;
        this.mail = mail;
    }

    public String name() {
        return name;
    }

    /** Sends the report; returns the message id the transport gave (SES's, or the Message-ID header). */
    public String send(RenderedReport report, String fullReport) {
        MimeMessage message = mail.compose(report, fullReport);
        long bytes = ReportMail.size(message);
        Exchange sent = template().send(uri, e -> e.getIn().setBody(message));
        if (sent.getException() != null) {
            throw new IllegalStateException("report e-mail (" + name + ") failed: " + sent.getException().getMessage(),
                    sent.getException());
        }
        String id = sent.getMessage().getHeader(Ses2Constants.MESSAGE_ID, String.class);
        if (id == null) {
            id = sent.getMessage().getHeader(MailConstants.MAIL_MESSAGE_ID, String.class);
        }
        LOG.info("Report {} e-mailed by {} to {} ({} bytes, message {})", report.report().date(), name, mail.toList(),
                bytes, id);
        return id;
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
