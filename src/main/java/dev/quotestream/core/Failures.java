package dev.quotestream.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quotestream.core.metrics.InvalidQuoteException;

import java.util.Set;
import java.util.function.Function;

/**
 * Poison or transient: decided here, for the route and the Lambda alike.
 * <ul>
 *   <li>Poison: no retry can fix it. Invalid input ({@link InvalidQuoteException}, malformed JSON), and a service
 *       answer that rejects the request itself: DynamoDB's {@code ValidationException} ("Number overflow", an item
 *       too large), SNS's {@code InvalidParameter}. It is dead-lettered with its reason.</li>
 *   <li>Transient: everything else (throttling, 5xx, I/O, a refused connection, missing permissions or resources
 *       that an operator can fix). It is retried, and never turned into a dead letter while its record is still
 *       in the stream.</li>
 * </ul>
 * The service's error code comes from the adapter ({@code errorCodes}), so this class needs no AWS SDK.
 */
public final class Failures {

    /** AWS error codes that reject the request's content: the same request can never succeed. */
    public static final Set<String> POISON_ERROR_CODES = Set.of("ValidationException", "SerializationException",
            "InvalidParameter", "InvalidParameterValue", "InvalidParameterException", "InvalidParameterValueException");

    private final Function<Throwable, String> errorCodes;

    /** @param errorCodes the AWS error code of a service exception, or null for any other throwable */
    public Failures(Function<Throwable, String> errorCodes) {
        this.errorCodes = errorCodes;
    }

    /** Without service error codes: only invalid input is poison. */
    public static Failures inputOnly() {
        return new Failures(t -> null);
    }

    public boolean isPoison(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidQuoteException || t instanceof JsonProcessingException) {
                return true;
            }
            String code = errorCodes.apply(t);
            if (code != null && POISON_ERROR_CODES.contains(code)) {
                return true;
            }
        }
        return false;
    }

    public boolean isTransient(Throwable failure) {
        return failure != null && !isPoison(failure);
    }
}
