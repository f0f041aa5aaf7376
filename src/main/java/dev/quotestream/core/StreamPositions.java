package dev.quotestream.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which records of each shard are final, so that a checkpoint never passes one that is not. A record is final when
 * it was handled without failure (stored, or dead-lettered) and, if it has a lake line, once that line is in a
 * written lake object. The checkpoint of a shard is the last record of its contiguous final prefix: records are
 * {@link #begin begun} in stream order, and a later record finishing first does not move it.
 * Thread-safe: the consumer begins and finishes records, the lake acknowledges lines from its flush thread.
 */
public final class StreamPositions {

    private static final class Entry {
        boolean handled;
        boolean blocked;
        boolean expectsLake;
        boolean lakeWritten;

        boolean isFinal() {
            return handled && !blocked && (!expectsLake || lakeWritten);
        }

        String state() {
            return blocked ? "did not finish" : !handled ? "in progress" : "lake line not written";
        }
    }

    private static final class Shard {
        /** In read order: the consumer reads each shard in sequence order. */
        final LinkedHashMap<BigInteger, Entry> open = new LinkedHashMap<>();
        BigInteger finalUpTo;
    }

    private final Map<String, Shard> shards = new ConcurrentHashMap<>();

    private Shard shard(String shard) {
        return shards.computeIfAbsent(shard, s -> new Shard());
    }

    /** A record was read and its processing starts. */
    public void begin(String shard, String sequence) {
        Shard s = shard(shard);
        synchronized (s) {
            s.open.putIfAbsent(new BigInteger(sequence), new Entry());
        }
    }

    /** The record's quote was handed to the lake buffer: it is final only once that line is written. */
    public void expectLake(String shard, String sequence) {
        update(shard, sequence, e -> e.expectsLake = true);
    }

    /** The same, for a record without a stream position (sent by hand): nothing to track. */
    public void expectLake(StreamRecord record) {
        if (record != null && record.shard() != null && record.sequence() != null) {
            expectLake(record.shard(), record.sequence());
        }
    }

    /** A lake object holding these records' lines ({@code shard/sequence}) was written. */
    public void lakeWritten(Collection<String> positions) {
        for (String position : positions) {
            int slash = position.lastIndexOf('/');
            update(position.substring(0, slash), position.substring(slash + 1), e -> e.lakeWritten = true);
        }
    }

    /**
     * The record's processing ended: {@code ok} when it was stored or dead-lettered; otherwise (a retry ended by
     * a stop) it stays open, and no checkpoint passes it: the next start reads it again.
     */
    public void done(String shard, String sequence, boolean ok) {
        update(shard, sequence, e -> {
            if (ok) {
                e.handled = true;
            } else {
                e.blocked = true;
            }
        });
    }

    private void update(String shard, String sequence, java.util.function.Consumer<Entry> change) {
        Shard s = shard(shard);
        synchronized (s) {
            BigInteger seq = new BigInteger(sequence);
            Entry e = s.open.get(seq);
            if (e == null) {
                if (s.finalUpTo != null && seq.compareTo(s.finalUpTo) <= 0) {
                    return; // final already
                }
                e = new Entry(); // not begun yet: keep the flag for when it is
                s.open.put(seq, e);
            }
            change.accept(e);
            advance(s);
        }
    }

    private static void advance(Shard s) {
        Iterator<Map.Entry<BigInteger, Entry>> it = s.open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<BigInteger, Entry> next = it.next();
            if (!next.getValue().isFinal()) {
                return;
            }
            s.finalUpTo = next.getKey();
            it.remove();
        }
    }

    /** Per shard, the last sequence number of the contiguous final prefix (shards with none are left out). */
    public Map<String, String> checkpoints() {
        Map<String, String> out = new LinkedHashMap<>();
        shards.forEach((id, s) -> {
            synchronized (s) {
                if (s.finalUpTo != null) {
                    out.put(id, s.finalUpTo.toString());
                }
            }
        });
        return out;
    }

    /** Records read and not final yet, over all shards: the consumer stops polling beyond a bound. */
    public int inFlight() {
        int n = 0;
        for (Shard s : shards.values()) {
            synchronized (s) {
                n += s.open.size();
            }
        }
        return n;
    }

    /** Records not final, per shard (for logs at stop). */
    public Map<String, List<String>> open() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        shards.forEach((id, s) -> {
            synchronized (s) {
                List<String> seqs = new ArrayList<>();
                s.open.forEach((k, e) -> seqs.add(k + " (" + e.state() + ")"));
                if (!seqs.isEmpty()) {
                    out.put(id, seqs);
                }
            }
        });
        return out;
    }
}
