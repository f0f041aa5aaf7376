package dev.quotestream.report;

import dev.quotestream.report.ReportRenderer.Cut;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * The report e-mail, one MIME message for every transport (SMTP through camel-mail, Amazon SES through
 * camel-aws2-ses):
 * <pre>
 * multipart/alternative
 *   text/plain; charset=UTF-8        the summary, lists cut to fit, and the full report's address
 *   multipart/related
 *     text/html; charset=UTF-8       the per-symbol table and the other lists, the chart as &lt;img src="cid:…"&gt;
 *     image/png                      the chart, Content-ID &lt;chart-YYYY-MM-DD@quote-pipeline&gt;, inline
 * </pre>
 * Sender, recipients and subject come from the properties ({@code report.mail.*}). The message is kept under
 * {@code maxBytes} as encoded: long lists are cut with "… N more, see the full report" ({@link MessageCaps}).
 */
public class ReportMail {

    private final InternetAddress from;
    private final List<InternetAddress> to;
    private final int maxListItems;
    private final long maxBytes;
    private final Session session = Session.getInstance(new Properties());

    public ReportMail(String from, String to, int maxListItems, long maxBytes) {
        this.from = address(from, "report.mail.from");
        this.to = addresses(to);
        this.maxListItems = maxListItems;
        this.maxBytes = maxBytes;
    }

    public InternetAddress from() {
        return from;
    }

    public List<InternetAddress> to() {
        return to;
    }

    /** The recipients as one comma-separated list, as camel-aws2-ses and camel-mail take them. */
    public String toList() {
        return String.join(",", to.stream().map(InternetAddress::getAddress).toList());
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The message for a rendered report; {@code fullReport} is where the uncut report is (link or path). */
    public MimeMessage compose(RenderedReport report, String fullReport) {
        return MessageCaps.fit(report.report(), maxListItems, fullReport, maxBytes,
                items -> message(report, new Cut(items, fullReport)), ReportMail::size, "report e-mail");
    }

    /** The content id of the chart part, as the HTML part refers to it ({@code cid:...}). */
    static String chartContentId(RenderedReport report) {
        return "chart-" + report.report().date() + "@quote-pipeline";
    }

    MimeMessage message(RenderedReport report, Cut cut) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipients(jakarta.mail.Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
            message.setSubject(report.subject(), "UTF-8");
            message.setSentDate(Date.from(report.report().generatedAt()));

            MimeBodyPart text = new MimeBodyPart();
            String body = ReportRenderer.text(report.report(), cut)
                    + (cut.fullReport() == null ? "" : "\nFull report with chart: " + cut.fullReport() + "\n");
            text.setText(body, "UTF-8", "plain");

            MimeBodyPart html = new MimeBodyPart();
            html.setText(ReportRenderer.html(report.report(), report.subject(), "cid:" + chartContentId(report), cut),
                    "UTF-8", "html");
            MimeBodyPart chart = new MimeBodyPart();
            chart.setDataHandler(new DataHandler(new ByteArrayDataSource(report.chartPng(), "image/png")));
            chart.setContentID("<" + chartContentId(report) + ">");
            chart.setDisposition(MimeBodyPart.INLINE);
            chart.setFileName(report.baseName() + ".png");
            MimeMultipart related = new MimeMultipart("related");
            related.addBodyPart(html);
            related.addBodyPart(chart);
            MimeBodyPart relatedPart = new MimeBodyPart();
            relatedPart.setContent(related);

            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(relatedPart);
            message.setContent(alternative);
            message.saveChanges();
            return message;
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot build the report e-mail: " + e.getMessage(), e);
        }
    }

    /** The encoded size of the message: what a transport sends. */
    static long size(MimeMessage message) {
        long[] count = new long[1];
        try (OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        }) {
            message.writeTo(counter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
        return count[0];
    }

    /** The raw MIME bytes of a message. */
    public static byte[] bytes(MimeMessage message) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InternetAddress address(String text, String property) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(property + " is required for the report e-mail");
        }
        try {
            return new InternetAddress(text.trim(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException(property + " '" + text + "' is not an e-mail address: " + e.getMessage(), e);
        }
    }

    private static List<InternetAddress> addresses(String text) {
        List<InternetAddress> result = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    result.add(address(part, "report.mail.to"));
                }
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("report.mail.to names no recipient");
        }
        return List.copyOf(result);
    }
}
