package dev.quotestream.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.Quote;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stream record's decoding rules (docs/data-contract.md §1, "Stream record"), no servers. */
class QuoteDecoderTest {

    private final QuoteDecoder decoder = new QuoteDecoder();
    static final String GOOD = "{\"symbol\":\"AAPL\",\"timestamp\":\"2026-11-25T14:40:00Z\",\"open\":216.4,"
            + "\"high\":255.44,\"low\":208,\"price\":229.5,\"volume\":45896036,\"previous_close\":231.61}";

    private Quote decode(String text) throws JsonProcessingException {
        return decoder.decode(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void numbersAreReadExactlyAsWritten() throws Exception {
        Quote q = decode(GOOD.replace("229.5", "0.00004000").replace("231.61", "0.123456789012"));
        assertThat(q.price()).isEqualTo(new BigDecimal("0.00004000"));
        assertThat(q.previousClose()).isEqualTo(new BigDecimal("0.123456789012"));
        assertThat(q.volume()).isEqualTo(45896036L);
    }

    @Test
    void exactlyOneJsonObjectPerRecord() {
        assertThatThrownBy(() -> decode(GOOD + GOOD)).isInstanceOf(InvalidQuoteException.class)
                .hasMessageStartingWith("record holds more than one JSON value");
        assertThatThrownBy(() -> decode(GOOD + " {}")).hasMessageStartingWith("record holds more than one JSON value");
        assertThatThrownBy(() -> decode("[" + GOOD + "]")).hasMessage("record is not a JSON object but an array");
        assertThatThrownBy(() -> decode("null")).hasMessage("record is not a JSON object but null");
        assertThatThrownBy(() -> decode("   ")).hasMessage("record is empty (white space only)");
        assertThatThrownBy(() -> decoder.decode(new byte[0])).hasMessage("record is empty");
        assertThatThrownBy(() -> decode(GOOD.replace("\"low\":208", "\"low\":208,\"low\":1")))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field 'low'");
    }

    @Test
    void aRecordLargerThanAQuoteCanBeIsRejectedUnread() {
        byte[] big = new byte[QuoteDecoder.MAX_RECORD_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> decoder.decode(big)).isInstanceOf(InvalidQuoteException.class)
                .hasMessage("record is 32769 bytes, over the limit of 32768 bytes for one quote");
    }

    @Test
    void wrongTypesAreNamedNeverReplaced() {
        assertThatThrownBy(() -> decode(GOOD.replace("229.5", "\"229.5\"")))
                .hasMessageContaining("price is not a number (\"229.5\")");
        assertThatThrownBy(() -> decode(GOOD.replace("229.5", "{\"v\":1}"))).hasMessageContaining("price is not a number (an object)");
        assertThatThrownBy(() -> decode(GOOD.replace("\"AAPL\"", "7"))).hasMessageContaining("symbol is not a string (7)");
        assertThatThrownBy(() -> decode(GOOD.replace("229.5", "NaN"))).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> decode(GOOD.replace("45896036", "18446744073709551621")))
                .hasMessageContaining("volume does not fit a 64-bit integer (18446744073709551621)");
    }

    @Test
    void theBytesAreReadAsUtf8NeverAsAGuessedUtf16Or32() {
        // Jackson, given these bytes, guessed UTF-32 and threw CharConversionException (no JsonProcessingException).
        byte[] le = {0x7b, 0, 0, 0, 'g', 'a', 'r', 'b', 'a', 'g', 'e', '!'};
        byte[] be = {0, 0, 0, 0x7b, 'g', 'a', 'r', 'b', 'a', 'g', 'e', '!'};
        assertThatThrownBy(() -> decoder.decode(le)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Illegal character ((CTRL-CHAR, code 0))");
        assertThatThrownBy(() -> decoder.decode(be)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Illegal character ((CTRL-CHAR, code 0))");
        byte[] utf16 = GOOD.getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> decoder.decode(utf16)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void invalidUtf8IsRejectedWithWhereItIs() {
        byte[] bad = GOOD.replace("AAPL", "AAPL\u0000").getBytes(StandardCharsets.UTF_8);
        bad[GOOD.indexOf("AAPL") + 4] = (byte) 0xFF;
        bad[GOOD.indexOf("AAPL") + 5] = '"';
        assertThatThrownBy(() -> decoder.decode(bad)).isInstanceOf(InvalidQuoteException.class)
                .hasMessage("record is not UTF-8 text: Invalid UTF-8 at byte " + (GOOD.indexOf("AAPL") + 4) + " (0xFF)");
        byte[] cut = java.util.Arrays.copyOf("{\"symbol\":\"\u00e9".getBytes(StandardCharsets.UTF_8), 12);
        assertThatThrownBy(() -> decoder.decode(cut)).hasMessage("record is not UTF-8 text: Invalid UTF-8 at byte 11 (0xC3)");
    }

    @Test
    void aUtf8ByteOrderMarkAndNonAsciiTextAreUtf8() throws Exception {
        byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[good.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(good, 0, withBom, 3, good.length);
        assertThat(decoder.decode(withBom)).isEqualTo(decoder.decode(good));
        // Unknown attributes are ignored, whatever their characters (two, three and four bytes each).
        assertThat(decode(GOOD.replace("{", "{\"note\":\"Z\u00fcrich \u6771\u4eac \ud83d\ude00\",")).price())
                .isEqualTo(new BigDecimal("229.5"));
        // A rule's own field keeps its characters in the reason.
        Quote q = decode(GOOD.replace("AAPL", "\u00c4PFEL"));
        assertThatThrownBy(q::validated).hasMessageContaining("symbol '\u00c4PFEL' is not a ticker symbol");
    }

    @Test
    void hugeMagnitudesAreReadAsNumbersAndRejectedByTheirBound() throws Exception {
        Quote q = decode(GOOD.replace("229.5", "1e400"));
        assertThat(q.price()).isEqualTo(new BigDecimal("1E+400"));
        assertThatThrownBy(q::validated).hasMessageContaining("price is beyond 1000000000000000 (1E+400)");
    }
}
