package dev.quotestream.core.metrics;

import java.math.BigDecimal;

/**
 * How the contract writes numbers: the digits as given, without trailing zeros, never in exponent notation
 * ({@code 1000}, not {@code 1E+3}; {@code 0.00004}, not {@code 4E-5}). DynamoDB trims trailing zeros anyway.
 */
public final class Decimals {

    private Decimals() {
    }

    public static BigDecimal plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** Digits after the decimal point, trailing zeros not counted. */
    public static int decimalPlaces(BigDecimal value) {
        return Math.max(0, plain(value).scale());
    }

    /** Significant digits, trailing zeros not counted. */
    public static int significantDigits(BigDecimal value) {
        return value.signum() == 0 ? 1 : value.stripTrailingZeros().precision();
    }
}
