package io.scasml.pde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.random.StreamKeys;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalog specs of the hand-written built-ins give the same numbers as BuiltinPdes. */
class BuiltinEquivalenceTest {

    static void assertClose(double[] want, double[] got, double rel, String what) {
        for (int i = 0; i < want.length; i++) {
            double tol = rel * Math.max(1, Math.abs(want[i]));
            assertTrue(Math.abs(want[i] - got[i]) <= tol, what + "[" + i + "]: want " + want[i] + ", got " + got[i]);
        }
    }

    @ParameterizedTest
    @CsvSource({"vb,20", "vb,3", "lcd,10", "lcd,1", "dr,100", "dr,7", "hjb,100", "hjb,5", "lqg,100", "lqg,2", "lqg,17"})
    void sameNumbersAsBuiltin(String name, int d) {
        Pde want = BuiltinPdes.byName(name, d);
        Pde got = PdeCatalog.resolve(name, d);
        assertEquals(want.dim(), got.dim());
        assertEquals(want.horizon(), got.horizon());
        assertEquals(want.sigma(), got.sigma());
        assertArrayEquals(want.drift(), got.drift());
        assertEquals(want.domain(), got.domain());
        assertEquals(want.generatorUsesGradient(), got.generatorUsesGradient());
        assertEquals(want.generatorIsZero(), got.generatorIsZero());
        assertEquals(want.hasExact(), got.hasExact());

        int n = 257;
        UniformRandomProvider rng = StreamKeys.stream(StreamKeys.mix64(name.hashCode() * 31L + d));
        double[] t = new double[n];
        double[] u = new double[n];
        double[] x = new double[n * d];
        double[] z = new double[n * d];
        for (int i = 0; i < n; i++) {
            t[i] = want.horizon() * rng.nextDouble();
            u[i] = 4 * rng.nextDouble() - 2;
        }
        for (int k = 0; k < n * d; k++) {
            x[k] = (2 * rng.nextDouble() - 1) / Math.sqrt(d);
            z[k] = 2 * rng.nextDouble() - 1;
        }
        double[] a = new double[n];
        double[] b = new double[n];
        want.generator(n, t, x, u, z, a);
        got.generator(n, t, x, u, z, b);
        assertClose(a, b, 1e-14, name + " generator");
        want.terminal(n, x, a);
        got.terminal(n, x, b);
        assertClose(a, b, 1e-14, name + " terminal");

        boolean monteCarlo = name.equals("lqg") || name.equals("hjb");
        int m = monteCarlo ? 3 : n;
        double[] ea = new double[m];
        double[] eb = new double[m];
        want.exact(m, t, x, ea);
        got.exact(m, t, x, eb);
        assertClose(ea, eb, 1e-14, name + " exact");
    }
}
