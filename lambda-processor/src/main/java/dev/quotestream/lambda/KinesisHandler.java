package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * The Lambda entry point ({@code dev.quotestream.lambda.KinesisHandler::handleRequest}): the SDK clients, the core
 * and its in-memory alert state are built once in static init (SnapStart snapshots them); each invocation hands the
 * batch to the core and answers with the records to retry (ReportBatchItemFailures).
 */
public class KinesisHandler implements RequestStreamHandler {

    private static final QuoteProcessor PROCESSOR = new QuoteProcessor(ProcessorConfig.fromEnvironment(System.getenv()),
            ServiceClients.fromEnvironment(System.getenv()), new LambdaEnvironment(), new JsonLog("quote-processor"),
            Clock.systemUTC());

    static {
        PROCESSOR.prime();
    }

    @Override
    public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        KinesisEvents.writeResponse(response, PROCESSOR.process(KinesisEvents.read(event), requestId));
    }
}
