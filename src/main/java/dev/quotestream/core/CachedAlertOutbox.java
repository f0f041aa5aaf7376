package dev.quotestream.core;

import dev.quotestream.core.metrics.AlertState;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The alert state of the symbols seen, kept in memory in front of the stored outbox: a quote that flips nothing costs
 * no read and no write. The route keeps it for the life of the process (one consumer per shard: nobody else changes
 * its symbols' states): the store is read once per symbol and trading day. The Lambda replaces a batch's entries at
 * the start of each batch ({@link #reload}: one read for the batch), since Lambda may have run the shard's previous
 * batch in another container. The state is written only on a flip, with the store's own conditional write; a
 * conflict means another writer changed it, so the entry is dropped and the next {@link #load} reads it again (the
 * gate then decides again). Pending alerts are tracked here too: added with the flip, removed once marked sent.
 */
public final class CachedAlertOutbox implements AlertOutbox {

    /** A symbol-day with nothing stored: a known absence, no read either. */
    private static final AlertState NOTHING = new AlertState("", "", false, 0, null);

    private final AlertOutbox store;
    private final Map<String, AlertState> states;

    /** @param maxEntries symbol-days kept (least recently used dropped first: read again if seen again) */
    public CachedAlertOutbox(AlertOutbox store, int maxEntries) {
        this.store = store;
        this.states = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AlertState> eldest) {
                return size() > maxEntries;
            }
        };
    }

    private static String key(String symbol, String tradingDay) {
        return symbol + "|" + tradingDay;
    }

    @Override
    public AlertState load(String symbol, String tradingDay) {
        String key = key(symbol, tradingDay);
        synchronized (states) {
            AlertState known = states.get(key);
            if (known != null) {
                return known == NOTHING ? null : known;
            }
        }
        AlertState stored = store.load(symbol, tradingDay);
        synchronized (states) {
            states.put(key, stored == null ? NOTHING : stored);
        }
        return stored;
    }

    /**
     * Replaces these symbol-days' entries by what the store holds now, read in one go ({@link AlertOutbox#loadAll}),
     * pending alerts included. A symbol-day the store did not answer for is dropped, so that its next {@link #load}
     * reads it alone; if the read fails, all of them are dropped (and the failure thrown).
     */
    @Override
    public void reload(Collection<SymbolDay> symbolDays) {
        if (symbolDays.isEmpty()) {
            return;
        }
        Map<SymbolDay, Optional<AlertState>> read;
        try {
            read = store.loadAll(symbolDays);
        } catch (RuntimeException | Error notRead) {
            symbolDays.forEach(day -> forget(day.key())); // never decide on what this read was to replace
            throw notRead;
        }
        synchronized (states) {
            for (SymbolDay day : symbolDays) {
                Optional<AlertState> stored = read.get(day);
                if (stored == null) {
                    states.remove(day.key());
                } else {
                    states.put(day.key(), stored.orElse(NOTHING));
                }
            }
        }
    }

    @Override
    public boolean replace(AlertState expected, AlertState next, List<PendingAlert> alerts) {
        return replaceAll(List.of(new Change(expected, next, alerts))).isEmpty();
    }

    @Override
    public java.util.Set<String> replaceAll(List<Change> changes) {
        java.util.Set<String> conflicts;
        try {
            conflicts = store.replaceAll(changes);
        } catch (RuntimeException unknown) {
            changes.forEach(c -> forget(c.key())); // written or not: read them again next time
            throw unknown;
        }
        synchronized (states) {
            for (Change change : changes) {
                if (conflicts.contains(change.key())) {
                    states.remove(change.key()); // another writer: read again, then decide
                    continue;
                }
                TreeMap<Integer, String> pending = new TreeMap<>(change.expected() == null ? Map.of()
                        : change.expected().pending());
                AlertState current = states.get(change.key());
                if (current != null && current != NOTHING) {
                    // Marked sent while this write was on its way (the alert sender's thread): not pending any more.
                    pending.keySet().retainAll(current.pending().keySet());
                }
                change.alerts().forEach(alert -> pending.put(alert.crossing(), alert.json()));
                states.put(change.key(), change.next().withPending(pending));
            }
        }
        return conflicts;
    }

    @Override
    public void markSent(List<PendingAlert> alerts) {
        store.markSent(alerts);
        synchronized (states) {
            for (PendingAlert alert : alerts) {
                String key = key(alert.symbol(), alert.tradingDay());
                AlertState known = states.get(key);
                if (known != null && known != NOTHING && known.pending().containsKey(alert.crossing())) {
                    TreeMap<Integer, String> pending = new TreeMap<>(known.pending());
                    pending.remove(alert.crossing());
                    states.put(key, known.withPending(pending));
                }
            }
        }
    }

    @Override
    public List<PendingAlert> pending(Collection<String> symbols, String fromDay, String toDay) {
        return store.pending(symbols, fromDay, toDay);
    }

    private void forget(String key) {
        synchronized (states) {
            states.remove(key);
        }
    }

    /** Symbol-days held in memory. */
    public int size() {
        synchronized (states) {
            return states.size();
        }
    }
}
