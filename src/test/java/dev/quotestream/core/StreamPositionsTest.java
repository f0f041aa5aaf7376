package dev.quotestream.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoints pass only the contiguous prefix of final records: handled, and their lake line written. */
class StreamPositionsTest {

    @Test
    void aCheckpointWaitsForTheLakeLineAndForEveryEarlierRecord() {
        StreamPositions p = new StreamPositions();
        for (int seq = 1; seq <= 4; seq++) {
            p.begin("s0", String.valueOf(seq));
            p.expectLake("s0", String.valueOf(seq));
        }
        p.done("s0", "1", true);
        p.done("s0", "2", true);
        p.done("s0", "3", true);
        assertThat(p.checkpoints()).isEmpty(); // stored, but no lake line written yet
        p.lakeWritten(List.of("s0/2", "s0/3"));
        assertThat(p.checkpoints()).isEmpty(); // 1 still waits for its lake object
        p.lakeWritten(List.of("s0/1"));
        assertThat(p.checkpoints()).isEqualTo(Map.of("s0", "3"));
        assertThat(p.inFlight()).isEqualTo(1);
    }

    @Test
    void aRecordThatDidNotFinishBlocksItsShardOnly() {
        StreamPositions p = new StreamPositions();
        p.begin("s0", "10");
        p.begin("s0", "11");
        p.expectLake("s0", "11");
        p.begin("s1", "5");
        p.done("s0", "10", false); // a retry ended by a stop
        p.done("s0", "11", true);
        p.done("s1", "5", true); // dead-lettered: no lake line
        assertThat(p.checkpoints()).isEqualTo(Map.of("s1", "5"));
        assertThat(p.open()).isEqualTo(Map.of("s0", List.of("10 (did not finish)", "11 (lake line not written)")));
    }

    @Test
    void aLakeAcknowledgementBeforeTheRecordFinishesIsKept() {
        StreamPositions p = new StreamPositions();
        p.begin("s0", "49590338271490256608559692538361571095921575989136599005");
        p.expectLake("s0", "49590338271490256608559692538361571095921575989136599005");
        p.lakeWritten(List.of("s0/49590338271490256608559692538361571095921575989136599005"));
        p.done("s0", "49590338271490256608559692538361571095921575989136599005", true);
        assertThat(p.checkpoints()).containsEntry("s0", "49590338271490256608559692538361571095921575989136599005");
        p.lakeWritten(List.of("s0/49590338271490256608559692538361571095921575989136599005")); // late duplicate: ignored
        assertThat(p.inFlight()).isZero();
    }
}
