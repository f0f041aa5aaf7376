package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;

/**
 * The Lambda entry point ({@code dev.quotestream.lambda.KinesisHandler::handleRequest}). Everything is built once
 * in static init, which SnapStart snapshots. The event is read record by record ({@link KinesisEvents}: a record
 * that is not base64 is one bad record, not a failed batch); each record's outcome is decided by the processor.
 */
public class KinesisHandler implements RequestStreamHandler {

    private static final QuoteProcessor PROCESSOR = new QuoteProcessor(
            ProcessorConfig.fromEnvironment(System.getenv()),
            ServiceClients.fromEnvironment(System.getenv()),
            new LambdaEnvironment(),
            new JsonLog("quote-processor"),
            Clock.systemUTC());

    static {
        PROCESSOR.prime();
    }

    @Override
    public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
        List<String> failed = PROCESSOR.process(KinesisEvents.read(event), context == null ? null : context.getAwsRequestId());
        KinesisEvents.writeResponse(response, failed);
    }
}
