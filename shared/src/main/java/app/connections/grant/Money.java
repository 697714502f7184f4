package app.connections.grant;

import app.connections.platform.InvalidField;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** US dollars as integer micro-dollars, the only way amounts are kept and compared. */
public final class Money {
    /** $1,000,000 — no single amount or cap is larger. */
    public static final long MAX_MICROS = 1_000_000L * 1_000_000L;

    private Money() {
    }

    /** A non-negative, finite dollar amount from JSON, or a 400 naming the field. */
    public static long micros(JsonNode value, String field) {
        if (value == null || !value.isNumber()) {
            throw new InvalidField(field, field + " must be a number of US dollars");
        }
        // 1e400 reads as an infinite double, which has no decimal value
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw new InvalidField(field, field + " must be a finite number");
        }
        try {
            return micros(value.decimalValue(), field);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidField(field, field + " must be a number of US dollars");
        }
    }

    public static long micros(BigDecimal dollars, String field) {
        if (dollars.signum() < 0) {
            throw new InvalidField(field, field + " must not be negative");
        }
        if (dollars.precision() - dollars.scale() > 7) { // more than 7 integer digits: far above the limit, whatever the exponent
            throw new InvalidField(field, field + " must be at most 1000000");
        }
        BigDecimal micros = dollars.movePointRight(6).setScale(0, RoundingMode.HALF_UP);
        if (micros.compareTo(BigDecimal.valueOf(MAX_MICROS)) > 0) {
            throw new InvalidField(field, field + " must be at most 1000000");
        }
        return micros.longValueExact();
    }

    /** A dollar amount from an untyped value (the runtime's JSON): a finite, non-negative number. */
    public static long micros(Object value, String field) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidField(field, field + " must be a finite number");
            }
            return micros(new BigDecimal(n.toString()), field);
        }
        throw new InvalidField(field, field + " must be a number of US dollars");
    }

    public static BigDecimal dollars(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }
}
