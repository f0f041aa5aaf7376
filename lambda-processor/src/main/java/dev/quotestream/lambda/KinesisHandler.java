package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;

import java.time.Clock;

/**
 * The Lambda entry point ({@code dev.quotestream.lambda.KinesisHandler::handleRequest}). Everything is
 * built once in static init, which SnapStart snapshots; the handler only delegates.
 */
public class KinesisHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {

    private static final QuoteProcessor PROCESSOR = new QuoteProcessor(
            ProcessorConfig.fromEnvironment(System.getenv()),
            AwsClients.fromEnvironment(System.getenv()),
            new LambdaEnvironment(),
            new JsonLog("quote-processor"),
            Clock.systemUTC());

    static {
        PROCESSOR.prime();
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return PROCESSOR.process(event, context == null ? null : context.getAwsRequestId());
    }
}
