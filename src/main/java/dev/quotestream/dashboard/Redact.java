package dev.quotestream.dashboard;

import java.util.regex.Pattern;

/** Keeps ARNs, account ids and long texts out of what the browser and health output show. */
public final class Redact {

    private static final Pattern ARN = Pattern.compile("arn:aws[a-zA-Z-]*:[^\\s\"',)]*");
    private static final Pattern ACCOUNT = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
    private static final int MAX = 300;

    private Redact() {
    }

    public static String text(String s) {
        if (s == null) {
            return null;
        }
        String out = ACCOUNT.matcher(ARN.matcher(s).replaceAll("arn:(redacted)")).replaceAll("(account)");
        return out.length() > MAX ? out.substring(0, MAX) + "…" : out;
    }
}
