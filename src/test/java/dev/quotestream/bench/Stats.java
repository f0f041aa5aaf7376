package dev.quotestream.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics, computed the way the naive seed computes its own (Python statistics.quantiles, n=100, exclusive). */
final class Stats {

    private Stats() {
    }

    /** Python's {@code statistics.quantiles(data, n=100)[k - 1]} (method 'exclusive'): the k-th percentile cut point. */
    static double percentile(List<Double> values, int k) {
        List<Double> data = new ArrayList<>(values);
        Collections.sort(data);
        int ld = data.size();
        if (ld < 2) {
            return ld == 1 ? data.get(0) : Double.NaN;
        }
        int n = 100;
        int m = ld + 1;
        int j = k * m / n;
        j = Math.max(1, Math.min(ld - 1, j));
        int delta = k * m - j * n;
        return (data.get(j - 1) * (n - delta) + data.get(j) * delta) / n;
    }

    /** min / median / max of a list. */
    static double[] minMedianMax(List<Double> values) {
        List<Double> data = new ArrayList<>(values);
        Collections.sort(data);
        int s = data.size();
        double median = s % 2 == 1 ? data.get(s / 2) : (data.get(s / 2 - 1) + data.get(s / 2)) / 2;
        return new double[] {data.get(0), median, data.get(s - 1)};
    }
}
