package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Domain;
import io.scasml.kernels.pde.Pde;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Training runs: reproducibility, convergence on a small problem, non-finite stop, spec without a domain. */
class TrainingTest {

    static PinnConfig small(int steps, long seed) {
        PinnConfig c = new PinnConfig();
        c.widths = new int[] {16, 16};
        c.collocation = 1024;
        c.terminalPoints = 512;
        c.dataPoints = 64;
        c.batch = 128;
        c.valueBatch = 128;
        c.steps = steps;
        c.lr = 5e-3;
        c.lrFinal = 5e-4;
        c.seed = seed;
        c.testPoints = 300;
        c.pathTestPoints = 300;
        return c;
    }

    @Test
    void sameSeedGivesIdenticalWeightsBitForBit() {
        Pde pde = BuiltinPdes.vb(3);
        double[] a = PinnTrainer.train(pde, small(15, 7), null).net.getParams();
        double[] b = PinnTrainer.train(pde, small(15, 7), null).net.getParams();
        double[] c = PinnTrainer.train(pde, small(15, 8), null).net.getParams();
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c), "a different seed gives different weights");
    }

    @Test
    void lcdTrainingConvergesAlongPaths() {
        Pde pde = BuiltinPdes.lcd(2);
        PinnConfig c = small(1000, 3);
        c.lrFinal = 2e-4;
        PinnTrainer.Result r = PinnTrainer.train(pde, c, null);
        double first = r.history[0][0];
        double last = r.finalLoss[0];
        assertTrue(r.stoppedAt < 0);
        assertTrue(last < first / 100, "loss fell from " + first + " to " + last);
        assertTrue(r.testRelL2 < 0.06, "held-out rel L2 " + r.testRelL2);
        assertTrue(r.pathResidualRms < 0.1, "residual RMS along paths " + r.pathResidualRms);
    }

    @Test
    void nonFiniteLossStopsAndKeepsLastGoodWeights() {
        Pde pde = BuiltinPdes.vb(3);
        PinnConfig c = small(50, 1);
        c.lr = 1e300;
        c.lrFinal = 1e300;
        PinnTrainer.Result r = PinnTrainer.train(pde, c, null);
        assertTrue(r.stoppedAt >= 1, "stopped at " + r.stoppedAt);
        assertTrue(r.stopReason.contains("not finite") || r.stopReason.contains("NaN")
                || r.stopReason.contains("Infinity"), r.stopReason);
        for (double v : r.net.getParams()) {
            assertTrue(Double.isFinite(v));
        }
        assertEquals(r.stoppedAt, r.history.length);
    }

    @Test
    void specWithoutDomainIsRefused() {
        Pde base = BuiltinPdes.lcd(2);
        Pde noDomain = new Pde() {
            @Override public String name() { return "nodomain"; }
            @Override public int dim() { return 2; }
            @Override public double horizon() { return base.horizon(); }
            @Override public double[] drift() { return base.drift(); }
            @Override public double sigma() { return base.sigma(); }
            @Override public void generator(int n, double[] t, double[] x, double[] u, double[] z, double[] out) {
                base.generator(n, t, x, u, z, out);
            }
            @Override public void terminal(int n, double[] x, double[] out) { base.terminal(n, x, out); }
            @Override public Domain domain() { return null; }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PinnTrainer.train(noDomain, small(5, 1), null));
        assertTrue(e.getMessage().contains("no domain"), e.getMessage());
    }
}
