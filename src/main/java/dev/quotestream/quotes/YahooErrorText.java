package dev.quotestream.quotes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Yahoo's own words from an error body, whatever the wrapper: {@code {"chart":{"error":{code, description}}}},
 * {@code {"finance":{"error":{…}}}} (Invalid Crumb, Unauthorized), an HTML page (its title) or plain text
 * ("Too Many Requests"). At most {@value #MAX_CHARS} characters, on one line.
 */
public final class YahooErrorText {

    public static final int MAX_CHARS = 200;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private YahooErrorText() {
    }

    /** The text, or "" when the body says nothing. */
    public static String of(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode root = MAPPER.readTree(trimmed);
                for (String wrapper : new String[] {"chart", "finance", "quoteSummary", "quoteResponse"}) {
                    JsonNode error = root.path(wrapper).path("error");
                    if (error.isObject()) {
                        return clean(join(error.path("code").asText(""), error.path("description").asText("")));
                    }
                    if (error.isTextual()) {
                        return clean(error.asText());
                    }
                }
                JsonNode error = root.path("error");
                if (error.isObject() || error.isTextual()) {
                    return clean(error.isTextual() ? error.asText()
                            : join(error.path("code").asText(""), error.path("description").asText(error.path("message").asText(""))));
                }
                return "";
            } catch (Exception notJson) {
                // fall through: treat as text
            }
        }
        Matcher title = TITLE.matcher(trimmed);
        if (title.find()) {
            return clean(title.group(1));
        }
        if (trimmed.startsWith("<")) {
            return clean(trimmed.replaceAll("<[^>]*>", " "));
        }
        return clean(trimmed);
    }

    private static String join(String code, String description) {
        if (code.isBlank()) {
            return description;
        }
        return description.isBlank() ? code : code + ": " + description;
    }

    private static String clean(String text) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= MAX_CHARS ? one : one.substring(0, MAX_CHARS) + "…";
    }
}
