package dev.quotestream.dashboard;

/**
 * Dead letters written today (UTC), counted at rest under {@code dead-letter/dt=<today>/}: files locally,
 * S3 keys on AWS. At rest rather than in memory, so a restart or the Lambda's dead letters are counted too.
 */
public interface DeadLetterCounter {

    long today();
}
