package dev.quotestream.report;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** A received report e-mail taken apart: headers, the MIME tree, the text, the HTML and the inline image. */
record MailParts(String subject, String from, List<String> to, String structure, String text, String html,
                 byte[] image, String imageContentId, String imageDisposition, long size) {

    static MailParts parse(byte[] raw) throws Exception {
        return of(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)), raw.length);
    }

    static MailParts of(MimeMessage m, long size) throws Exception {
        List<String> to = new ArrayList<>();
        for (var a : m.getRecipients(jakarta.mail.Message.RecipientType.TO)) {
            to.add(((InternetAddress) a).getAddress());
        }
        Holder h = new Holder();
        String structure = walk(m, h);
        return new MailParts(m.getSubject(), MimeUtility.decodeText(m.getHeader("From", ",")), to, structure, h.text,
                h.html, h.image, h.cid, h.disposition, size);
    }

    private static final class Holder {
        String text;
        String html;
        byte[] image;
        String cid;
        String disposition;
    }

    private static String walk(Part part, Holder h) throws Exception {
        String type = part.getContentType().toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            List<String> children = new ArrayList<>();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                children.add(walk(child, h));
            }
            return type + "[" + String.join(", ", children) + "]";
        }
        if (type.equals("text/plain")) {
            h.text = (String) part.getContent();
        } else if (type.equals("text/html")) {
            h.html = (String) part.getContent();
        } else if (type.equals("image/png")) {
            h.image = part.getInputStream().readAllBytes();
            String[] id = ((jakarta.mail.internet.MimePart) part).getHeader("Content-ID");
            h.cid = id == null ? null : id[0].replaceAll("^<|>$", "");
            h.disposition = part.getDisposition();
        }
        return type;
    }
}
