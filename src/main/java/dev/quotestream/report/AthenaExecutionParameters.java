package dev.quotestream.report;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

import java.util.List;
import java.util.function.Supplier;

/**
 * Adds Athena execution parameters to the StartQueryExecution request that camel-aws2-athena sends.
 * <p>
 * camel-aws2-athena 4.17 has no option for {@code ExecutionParameters}, so the report's AthenaClient carries this
 * interceptor: {@link AthenaSqlExecutor} sets the parameters for the duration of its (synchronous) producer call on
 * the calling thread, and the interceptor attaches them to that thread's StartQueryExecution request.
 */
public class AthenaExecutionParameters implements ExecutionInterceptor {

    private static final ThreadLocal<List<String>> CURRENT = new ThreadLocal<>();

    public static <T> T with(List<String> parameters, Supplier<T> call) {
        CURRENT.set(List.copyOf(parameters));
        try {
            return call.get();
        } finally {
            CURRENT.remove();
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes executionAttributes) {
        List<String> parameters = CURRENT.get();
        if (context.request() instanceof StartQueryExecutionRequest request && parameters != null
                && !parameters.isEmpty() && !request.hasExecutionParameters()) {
            return request.toBuilder().executionParameters(parameters).build();
        }
        return context.request();
    }
}
