package dev.quotestream.core.aws;

import dev.quotestream.core.Failures;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The AWS error code of a service exception, for {@link Failures}: the one place that decides poison or transient. */
public final class AwsErrors {

    private AwsErrors() {
    }

    public static String errorCode(Throwable t) {
        return t instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().errorCode() : null;
    }

    public static Failures failures() {
        return new Failures(AwsErrors::errorCode);
    }
}
