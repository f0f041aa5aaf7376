package dev.quotestream.aws;

import dev.quotestream.quotes.QuotePublisher;
import dev.quotestream.quotes.QuotePublisher.Record;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** PutRecords batching and retry of failed entries only, against a scripted client (no server needed). */
class KinesisQuotePublisherTest {

    /** Every PutRecords call's entries, and a script deciding each entry's result. */
    static final class Scripted {
        final List<List<PutRecordsRequestEntry>> calls = new ArrayList<>();
        Function<Integer, Function<PutRecordsRequestEntry, String>> errorCodeByCall = call -> e -> null;
        int failWholeCalls;

        @SuppressWarnings("unchecked")
        KinesisClient client() {
            return (KinesisClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {KinesisClient.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("putRecords")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        PutRecordsRequest.Builder b = PutRecordsRequest.builder();
                        ((Consumer<PutRecordsRequest.Builder>) args[0]).accept(b);
                        PutRecordsRequest request = b.build();
                        calls.add(request.records());
                        if (failWholeCalls > 0) {
                            failWholeCalls--;
                            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
                        }
                        Function<PutRecordsRequestEntry, String> codes = errorCodeByCall.apply(calls.size());
                        List<PutRecordsResultEntry> results = request.records().stream().map(e -> {
                            String code = codes.apply(e);
                            return code == null ? PutRecordsResultEntry.builder().shardId("shardId-0").sequenceNumber("1").build()
                                    : PutRecordsResultEntry.builder().errorCode(code).errorMessage("Rate exceeded for shard").build();
                        }).toList();
                        return PutRecordsResponse.builder().records(results)
                                .failedRecordCount((int) results.stream().filter(r -> r.errorCode() != null).count()).build();
                    });
        }
    }

    static List<Record> records(int n) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String symbol = "S" + i;
            out.add(new Record(symbol, "2026-11-25T15:00:00Z", "{\"symbol\":\"" + symbol + "\"}"));
        }
        return out;
    }

    @Test
    void aCycleGoesOutInCallsOfAtMost500KeyedBySymbol() {
        Scripted kinesis = new Scripted();
        QuotePublisher.Result result = new KinesisQuotePublisher(kinesis.client(), "quotes", 3, 1, 4).publish(records(1200));
        assertThat(kinesis.calls).extracting(List::size).containsExactly(500, 500, 200);
        assertThat(kinesis.calls.get(0).get(0).partitionKey()).isEqualTo("S0");
        assertThat(kinesis.calls.get(2).get(199).partitionKey()).isEqualTo("S1199");
        assertThat(kinesis.calls.get(1).get(0).data().asUtf8String()).isEqualTo("{\"symbol\":\"S500\"}");
        assertThat(result.published()).hasSize(1200);
        assertThat(result.failed()).isEmpty();
    }

    @Test
    void onlyTheFailedEntriesAreSentAgain() {
        Scripted kinesis = new Scripted();
        // Call 1: every third entry is throttled; call 2 (the retry): all pass.
        kinesis.errorCodeByCall = call -> e -> call == 1 && Integer.parseInt(e.partitionKey().substring(1)) % 3 == 0
                ? "ProvisionedThroughputExceededException" : null;
        QuotePublisher.Result result = new KinesisQuotePublisher(kinesis.client(), "quotes", 3, 1, 4).publish(records(10));
        assertThat(kinesis.calls).hasSize(2);
        assertThat(kinesis.calls.get(1)).extracting(PutRecordsRequestEntry::partitionKey).containsExactly("S0", "S3", "S6", "S9");
        assertThat(result.published()).hasSize(10);
        assertThat(result.failed()).isEmpty();
    }

    @Test
    void whatStillFailsAfterTheAttemptsIsReturnedWithItsReason() {
        Scripted kinesis = new Scripted();
        kinesis.errorCodeByCall = call -> e -> e.partitionKey().equals("S1") ? "InternalFailure" : null;
        QuotePublisher.Result result = new KinesisQuotePublisher(kinesis.client(), "quotes", 3, 1, 4).publish(records(3));
        assertThat(kinesis.calls).extracting(List::size).containsExactly(3, 1, 1);
        assertThat(result.published()).extracting(Record::symbol).containsExactly("S0", "S2");
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.record().symbol()).isEqualTo("S1");
            assertThat(f.reason()).isEqualTo("Kinesis PutRecords failed after 3 attempts: InternalFailure: Rate exceeded for shard");
        });
    }

    @Test
    void aWholeCallThatFailsIsRetried() {
        Scripted kinesis = new Scripted();
        kinesis.failWholeCalls = 2;
        QuotePublisher.Result result = new KinesisQuotePublisher(kinesis.client(), "quotes", 3, 1, 4).publish(records(4));
        assertThat(kinesis.calls).extracting(List::size).containsExactly(4, 4, 4);
        assertThat(result.published()).hasSize(4);
    }
}
