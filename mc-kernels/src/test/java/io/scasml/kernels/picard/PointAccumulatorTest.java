package io.scasml.kernels.picard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.pde.PointSampler;
import io.scasml.kernels.random.StreamKeys;
import io.scasml.kernels.stats.StudentT;
import io.scasml.kernels.surrogate.AnalyticSurrogates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.junit.jupiter.api.Test;

/** The per-point accumulator: fixed combine order, stable moments, Welch–Satterthwaite and the t interval. */
class PointAccumulatorTest {
    static final int D = 3;
    static final PointAccumulator.Facts FACTS = new PointAccumulator.Facts(1.0, true, false, Double.NaN,
        new double[D], Double.NaN, Double.NaN);
    static final QueryPoint P = new QueryPoint(7, 0.25, new double[D]);

    /** blocks[term][block]: random partials with the given mean and spread. */
    static TermPartial[][] partials(int terms, int blocks, double mean, double spread, long seed) {
        UniformRandomProvider r = StreamKeys.stream(seed);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(r);
        TermPartial[][] out = new TermPartial[terms][blocks];
        for (int t = 0; t < terms; t++) {
            for (int b = 0; b < blocks; b++) {
                int n = 1 + r.nextInt(9);
                double[] v = new double[n];
                double[] gr = new double[n * D];
                for (int i = 0; i < n; i++) {
                    v[i] = mean + spread * g.sample();
                }
                for (int i = 0; i < n * D; i++) {
                    gr[i] = g.sample();
                }
                out[t][b] = TermPartial.ofSamples(P.id(), t, b, v, gr, D, b < blocks / 2 ? n : 0);
            }
        }
        return out;
    }

    static PointAccumulator sequential(TermPartial[][] p) {
        PointAccumulator a = new PointAccumulator(P.id(), p.length, D);
        for (TermPartial[] term : p) {
            for (TermPartial b : term) {
                a.accept(b);
            }
        }
        return a;
    }

    static void assertSameBits(PointEstimate x, PointEstimate y) {
        assertEquals(Double.doubleToLongBits(x.u()), Double.doubleToLongBits(y.u()));
        assertEquals(Double.doubleToLongBits(x.stdError()), Double.doubleToLongBits(y.stdError()));
        assertEquals(Double.doubleToLongBits(x.ciLow()), Double.doubleToLongBits(y.ciLow()));
        assertEquals(Double.doubleToLongBits(x.dof()), Double.doubleToLongBits(y.dof()));
        assertEquals(Double.doubleToLongBits(x.gradVarTrace()), Double.doubleToLongBits(y.gradVarTrace()));
        assertArrayEquals(x.z(), y.z(), 0.0);
        assertArrayEquals(x.counts(), y.counts());
    }

    @Test
    void anyGroupingGivesTheSameBitsInTheFixedOrder() {
        TermPartial[][] p = partials(4, 6, 3.0, 0.5, 11);
        PointEstimate ref = sequential(p).estimate(P, FACTS);
        Random rnd = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            // 1. partials spread over "partitions" at random and arriving in any order: the reduction sorts
            List<TermPartial> all = new ArrayList<>();
            for (TermPartial[] t : p) {
                Collections.addAll(all, t);
            }
            Collections.shuffle(all, rnd);
            all.sort((a, b) -> a.term() != b.term() ? Integer.compare(a.term(), b.term())
                : Integer.compare(a.block(), b.block()));
            PointAccumulator a = new PointAccumulator(P.id(), p.length, D);
            all.forEach(a::accept);
            assertSameBits(ref, a.estimate(P, FACTS));
            // 2. accumulators over disjoint sets of terms, combined in any grouping and order
            List<Integer> terms = new ArrayList<>(List.of(0, 1, 2, 3));
            Collections.shuffle(terms, rnd);
            List<PointAccumulator> parts = new ArrayList<>();
            int i = 0;
            while (i < terms.size()) {
                int k = 1 + rnd.nextInt(terms.size() - i);
                PointAccumulator part = new PointAccumulator(P.id(), p.length, D);
                for (int j = i; j < i + k; j++) {
                    for (TermPartial b : p[terms.get(j)]) {
                        part.accept(b);
                    }
                }
                parts.add(part);
                i += k;
            }
            Collections.shuffle(parts, rnd);
            PointAccumulator c = new PointAccumulator(P.id(), p.length, D);
            for (PointAccumulator part : parts) {
                c.combine(part);
            }
            assertSameBits(ref, c.estimate(P, FACTS));
        }
    }

    @Test
    void contiguousRunsCombineAndOrderIsEnforced() {
        TermPartial[][] p = partials(2, 6, -1.0, 2.0, 12);
        PointAccumulator ref = sequential(p);
        PointAccumulator first = new PointAccumulator(P.id(), 2, D);
        PointAccumulator second = new PointAccumulator(P.id(), 2, D);
        for (int t = 0; t < 2; t++) {
            for (int b = 0; b < 6; b++) {
                (b < 4 ? first : second).accept(p[t][b]);
            }
        }
        first.combine(second);
        for (int t = 0; t < 2; t++) {
            assertEquals(ref.samples(t), first.samples(t));
            assertEquals(ref.termMean(t), first.termMean(t), 1e-15);
            assertEquals(ref.termVariance(t), first.termVariance(t), 1e-13 * ref.termVariance(t));
            assertEquals(6, first.blocks(t));
        }
        PointAccumulator gap = new PointAccumulator(P.id(), 2, D);
        gap.accept(p[0][0]);
        assertThrows(IllegalStateException.class, () -> gap.accept(p[0][2]));
        PointAccumulator late = new PointAccumulator(P.id(), 2, D);
        late.accept(p[0][3]);
        assertThrows(IllegalStateException.class, () -> gap.combine(late));
        assertThrows(IllegalArgumentException.class,
            () -> new PointAccumulator(8, 2, D).accept(p[0][0]));
    }

    @Test
    void welchSatterthwaiteWithoutFloorAndExactQuantile() {
        // term 0: two samples with a large spread dominate; term 1: many samples with a tiny spread
        TermPartial t0 = TermPartial.ofSamples(P.id(), 0, 0, new double[] {1.0, 3.0}, new double[2 * D], D, 1);
        double[] many = new double[1000];
        for (int i = 0; i < many.length; i++) {
            many[i] = 0.5 + 1e-4 * Math.sin(i);
        }
        TermPartial t1 = TermPartial.ofSamples(P.id(), 1, 0, many, new double[many.length * D], D, 500);
        PointAccumulator a = new PointAccumulator(P.id(), 2, D).accept(t0).accept(t1);
        PointEstimate e = a.estimate(P, FACTS);
        double v0 = 2.0 / 2;
        double v1 = a.termVariance(1) / 1000;
        double nu = (v0 + v1) * (v0 + v1) / (v0 * v0 / 1 + v1 * v1 / 999);
        assertEquals(nu, e.dof(), 1e-12 * nu);
        assertTrue(e.dof() > 1 && e.dof() < 1.001, "nu = " + e.dof());
        assertEquals(Math.sqrt(v0 + v1), e.stdError(), 1e-15);
        double half = e.ciHigh() - e.u();
        assertEquals(StudentT.quantile975(nu) * e.stdError(), half, 1e-12 * half);
        assertTrue(half / e.stdError() > 12.6, "no floor at nu = 2: q = " + half / e.stdError());
        assertEquals(2.0 + 0.5, e.u(), 1e-6);
        assertEquals(PointStatus.OK, e.status());
    }

    @Test
    void nonFiniteFlagsGiveNaNEstimatesWithAStatus() {
        TermPartial bad = new TermPartial(P.id(), 0, 0, new io.scasml.kernels.stats.Moments(), 0, new double[D],
            new double[D], new long[TermPartial.COUNT_NAMES.length], 0, 0, PointStatus.NONFINITE_GENERATOR.bit());
        PointEstimate e = new PointAccumulator(P.id(), 1, D).accept(bad).estimate(P, FACTS);
        assertEquals(PointStatus.NONFINITE_GENERATOR, e.status());
        assertEquals("nonfinite_generator", e.status().label());
        assertTrue(Double.isNaN(e.u()) && Double.isNaN(e.stdError()) && Double.isNaN(e.ciLow())
            && Double.isNaN(e.ciHigh()) && Double.isNaN(e.z()[0]) && Double.isNaN(e.correction()));
        // the surrogate at the point itself
        PointAccumulator.Facts nanSurrogate = new PointAccumulator.Facts(1.0, true, true, Double.POSITIVE_INFINITY,
            new double[D], 0.0, 0.0);
        TermPartial ok = TermPartial.ofSamples(P.id(), 0, 0, new double[] {1, 2, 3}, new double[3 * D], D, 1);
        assertEquals(PointStatus.NONFINITE_SURROGATE,
            new PointAccumulator(P.id(), 1, D).accept(ok).estimate(P, nanSurrogate).status());
        // the first cause in declaration order wins
        assertEquals(PointStatus.NONFINITE_SURROGATE, PointStatus.of(
            PointStatus.NONFINITE_GENERATOR.bit() | PointStatus.NONFINITE_SURROGATE.bit()));
        assertEquals(PointStatus.OK, PointStatus.of(0));
    }

    @Test
    void unitsDistributedOverPartitionsReduceToLocalRunnersBits() {
        int d = 4;
        Pde pde = BuiltinPdes.vb(d);
        List<QueryPoint> pts = PointSampler.sample(pde.domain(), d, 9, 4);
        RunOptions o = RunOptions.builder().levels(3).base(4).seed(9).pointsPerUnit(9).unitCost(40).build();
        PicardEstimator est = PicardEstimator.create(pde,
            AnalyticSurrogates.perturbed(AnalyticSurrogates.vbExact(d), 0.1, 2.0), o);
        List<PointEstimate> ref = LocalRunner.run(est, pts, 1);
        QueryPoint[] grp = pts.toArray(new QueryPoint[0]);
        int nu = est.units().size();
        assertTrue(nu > 5, "needs several units, has " + nu);
        Random rnd = new Random(3);
        for (int trial = 0; trial < 5; trial++) {
            // units run in random "partitions" in random order; results keyed by unit index
            List<Integer> order = new ArrayList<>();
            for (int u = 0; u < nu; u++) {
                order.add(u);
            }
            Collections.shuffle(order, rnd);
            TermPartial[][] byUnit = new TermPartial[nu][];
            for (int u : order) {
                byUnit[u] = est.run(grp, est.units().get(u));
            }
            PointEstimate[] got = PointReduction.reduce(est, grp, byUnit);
            for (int j = 0; j < grp.length; j++) {
                assertSameBits(ref.get(j), got[j]);
            }
        }
        PointReduction r = new PointReduction(est, grp);
        assertThrows(IllegalStateException.class, () -> r.accept(1, est.run(grp, est.units().get(1))));
        assertThrows(IllegalStateException.class, r::finish);
    }
}
