package io.scasml.kernels.surrogate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaplacianModeTest {

    /** A stand-in with a randomized pass of a given cost ratio (the passes are never called here). */
    static RandomizedResidual withRatio(double ratio) {
        return new RandomizedResidual() {
            @Override
            public int dim() {
                return 3;
            }

            @Override
            public void value(int n, double[] t, double[] x, double[] u) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                      double[] lap) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void residualTermsRandomized(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind,
                                                double[] u, double[] dt, double[] grad, double[] lapEstimate,
                                                double[] lapProbeVar) {
                throw new UnsupportedOperationException();
            }

            @Override
            public double randomizedCostRatio(int k, ProbeKind kind) {
                return ratio * k;
            }
        };
    }

    @Test
    void parsesAndPrintsCanonically() {
        assertSame(LaplacianMode.EXACT, LaplacianMode.parse("exact"));
        assertEquals("hutchinson:4", LaplacianMode.parse("Hutchinson:4").id());
        assertEquals("hutchinson:16:gaussian", LaplacianMode.parse("hutchinson:16:gaussian").id());
        assertEquals("hutchinson:2", LaplacianMode.parse("hutchinson:2:rademacher").id());
        assertEquals("auto:" + LaplacianMode.DEFAULT_AUTO_PROBES, LaplacianMode.parse("auto").id());
        assertEquals("auto:8", LaplacianMode.parse(" auto:8 ").id());
        for (String bad : new String[]{"", "hutchinson", "hutchinson:0", "hutchinson:x", "hutchinson:4:normal",
            "auto:0", "exact:1", "auto:2:3", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaplacianMode.parse(bad));
            assertTrue(e.getMessage().contains("got '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void resolvesAutoByTheCostModel() {
        LaplacianMode auto = LaplacianMode.parse("auto:4");
        assertEquals("hutchinson:4", auto.resolve(withRatio(0.1)).id());
        assertSame(LaplacianMode.EXACT, auto.resolve(withRatio(0.3)));
        assertSame(LaplacianMode.EXACT, auto.resolve(null), "no randomized pass: exact");
        assertTrue(LaplacianMode.parse("hutchinson:4").resolve(withRatio(9)).randomized());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaplacianMode.parse("hutchinson:4").resolve(null));
        assertTrue(e.getMessage().contains("no randomized residual pass"), e.getMessage());
    }

    /** A stand-in with a deflated pass of a given cost ratio (never called). */
    static DeflatedResidual deflatedWithRatio(double plain, double deflated) {
        RandomizedResidual r = withRatio(plain);
        return new DeflatedResidual() {
            @Override
            public int dim() {
                return 3;
            }

            @Override
            public void value(int n, double[] t, double[] x, double[] u) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void valueAndGradient(int n, double[] t, double[] x, double[] u, double[] grad) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void residualTerms(int n, double[] t, double[] x, double[] u, double[] dt, double[] grad,
                                      double[] lap) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void residualTermsRandomized(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind,
                                                double[] u, double[] dt, double[] grad, double[] lapEstimate,
                                                double[] lapProbeVar) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void residualTermsDeflated(int n, double[] t, double[] x, long[] rowKeys, int k, ProbeKind kind,
                                              double[] u, double[] dt, double[] grad, double[] lapEstimate,
                                              double[] lapProbeVar) {
                throw new UnsupportedOperationException();
            }

            @Override
            public double randomizedCostRatio(int k, ProbeKind kind) {
                return r.randomizedCostRatio(k, kind);
            }

            @Override
            public double deflatedCostRatio(int k, ProbeKind kind) {
                return deflated * k;
            }
        };
    }

    @Test
    void deflatedParsesResolvesAndIsPreferredByAuto() {
        assertEquals("deflated:4", LaplacianMode.parse("Deflated:4").id());
        assertEquals("deflated:2:gaussian", LaplacianMode.parse("deflated:2:gaussian").id());
        assertEquals("deflated:3", LaplacianMode.parse("deflated:3:rademacher").id());
        for (String bad : new String[]{"deflated", "deflated:0", "deflated:2:normal"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LaplacianMode.parse(bad));
            assertTrue(e.getMessage().contains("deflated:K"), e.getMessage());
        }
        LaplacianMode d4 = LaplacianMode.parse("deflated:4");
        assertTrue(d4.randomized() && d4.deflated());
        assertTrue(!LaplacianMode.parse("hutchinson:4").deflated());
        assertSame(d4, d4.resolve(deflatedWithRatio(0.1, 0.2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d4.resolve(withRatio(0.1)));
        assertTrue(e.getMessage().contains("no deflated residual pass"), e.getMessage());
        LaplacianMode auto = LaplacianMode.parse("auto:4");
        assertEquals("deflated:4", auto.resolve(deflatedWithRatio(0.1, 0.2)).id(), "auto prefers deflated");
        assertEquals("hutchinson:4", auto.resolve(deflatedWithRatio(0.1, 0.3)).id(), "deflated dearer than exact");
        assertSame(LaplacianMode.EXACT, auto.resolve(deflatedWithRatio(0.3, 0.3)));
    }
}
