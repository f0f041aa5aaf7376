package dev.quotestream.aws;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import dev.quotestream.testing.HttpFront;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kinesis allows 5 GetRecords calls per second per shard. The consumer (aws profile, pollStrategy=#pollPacing) is
 * counted on the wire: a WireMock in front of kinesis-local logs every GetRecords while 600 records of 60 symbols
 * are read (a busy shard, where greedy polling used to re-poll at once: 7 calls in a second were seen), then while
 * the stream is idle (it backs off).
 */
class KinesisPollingTest {

    @Test
    void aShardIsReadAtMostFiveTimesASecondAndLessWhenIdle(@TempDir Path data) throws Exception {
        LoopbackAws aws = LoopbackAws.shared();
        try (LoopbackProfile resources = LoopbackProfile.forTest(aws, "kinesis-polling");
             HttpFront front = aws.httpFront(Service.KINESIS)) {
            AwsClients clients = LoopbackProfile.clients(aws);
            KinesisClient kinesis = LoopbackProfile.kinesis(clients);
            AwsBootstrap.ensureStream(kinesis, resources.stream(), 1);
            int records = 600;
            for (int batch = 0; batch < records / 100; batch++) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = batch * 100 + i;
                    String symbol = "S" + (n % 60);
                    entries.add(PutRecordsRequestEntry.builder().partitionKey(symbol).data(SdkBytes.fromUtf8String(
                            dev.quotestream.testing.StreamBadInputs.quote(symbol, 0, "\"2026-11-25T15:00:00Z\"",
                                    "\"2026-11-25T15:00:" + String.format("%02d", n / 60) + "Z\""))).build());
                }
                kinesis.putRecords(b -> b.streamName(resources.stream()).records(entries));
            }
            Map<String, String> p = new HashMap<>(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()));
            p.putAll(resources.properties());
            p.put("aws.kinesis-endpoint", front.endpoint());
            p.put("pipeline.fetch-in-camel", "false");
            p.put("report.schedule-enabled", "false");
            // Small reads, so the backlog takes many polls: the case where greedy polling stormed.
            p.put("stream.from-uri", "aws2-kinesis:{{aws.stream}}?amazonKinesisClient=#kinesisClient&cborEnabled=false"
                    + "&iteratorType=TRIM_HORIZON&maxResultsPerRequest=10&delay=200&greedy=true&pollStrategy=#pollPacing"
                    + "&backoffIdleThreshold=1&backoffMultiplier=5");
            long busyStart;
            long busyEnd;
            try (PipelineRunner app = PipelineRunner.start("aws", p)) {
                ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
                busyStart = System.currentTimeMillis();
                assertThat(stored.await(records, Duration.ofSeconds(180))).isTrue();
                busyEnd = System.currentTimeMillis();
                Thread.sleep(6000); // an idle stream, on purpose: the consumer must back off meanwhile
            }
            List<Long> calls = new ArrayList<>();
            for (ServeEvent e : front.server().getAllServeEvents()) {
                if ("Kinesis_20131202.GetRecords".equals(e.getRequest().getHeader("X-Amz-Target"))) {
                    calls.add(e.getRequest().getLoggedDate().getTime());
                }
            }
            calls.sort(null);
            int busiestSecond = 0;
            for (int i = 0; i < calls.size(); i++) {
                int j = i;
                while (j < calls.size() && calls.get(j) < calls.get(i) + 1000) {
                    j++;
                }
                busiestSecond = Math.max(busiestSecond, j - i);
            }
            long idleCalls = calls.stream().filter(t -> t > busyEnd + 1000 && t < busyEnd + 6000).count();
            System.out.printf("GetRecords: %d calls for %d records in %.1f s, busiest second %d, idle %d calls in 5 s%n",
                    calls.size(), records, (busyEnd - busyStart) / 1000.0, busiestSecond, idleCalls);
            assertThat(calls.size()).as("the backlog takes many reads of 10").isGreaterThanOrEqualTo(records / 10);
            assertThat(busiestSecond).as("GetRecords calls in the busiest second on one shard").isLessThanOrEqualTo(5);
            assertThat(idleCalls).as("GetRecords calls in 5 idle seconds (backing off)").isLessThanOrEqualTo(7);
        }
    }
}
