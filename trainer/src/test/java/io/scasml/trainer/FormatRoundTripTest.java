package io.scasml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scasml.kernels.pde.BuiltinPdes;
import io.scasml.kernels.pde.Pde;
import io.scasml.kernels.surrogate.Residuals;
import io.scasml.kernels.surrogate.Surrogate;
import io.scasml.surrogate.Activation;
import io.scasml.surrogate.SurrogateLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format v1 written by the trainer and read back by surrogate-loader: values and all derivatives agree. */
class FormatRoundTripTest {

    @Test
    void npyHeaderIsAlignedAndWellFormed() {
        byte[] b = NpzWriter.npy(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3});
        int hl = (b[8] & 0xff) | ((b[9] & 0xff) << 8);
        assertEquals(0, (10 + hl) % 64);
        String h = new String(b, 10, hl, StandardCharsets.US_ASCII);
        assertTrue(h.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), h);
        assertTrue(h.endsWith("\n"));
        assertEquals(10 + hl + 48, b.length);
        String h1 = new String(NpzWriter.npy(new double[] {1}, new long[] {1}), 10, 54, StandardCharsets.US_ASCII);
        assertTrue(h1.contains("'shape': (1,)"), h1);
    }

    @Test
    void mlpRoundTripThroughSurrogateLoader(@TempDir Path dir) throws Exception {
        int d = 4;
        Pde pde = BuiltinPdes.vb(d);
        Mlp net = GradientCheckTest.randomNet(d, Activation.TANH, 21);
        SurrogateWriter.writeMlp(dir, net, Map.of("note", "test"));
        Surrogate s = SurrogateLoader.loadSurrogate(dir.toString());
        int n = 9;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.05 * i;
        }
        double[] x = GradientCheckTest.points(n, d, 4);
        double[] u = new double[n];
        double[] dt = new double[n];
        double[] g = new double[n * d];
        double[] lap = new double[n];
        s.residualTerms(n, t, x, u, dt, g, lap);
        PinnLoss loss = new PinnLoss(net, pde, 5, 5, 1, 1, 1);
        double[][] mine = loss.terms(n, t, x);
        for (int i = 0; i < n; i++) {
            assertEquals(mine[0][i], u[i], 1e-12);
            assertEquals(mine[1][i], dt[i], 1e-12);
            assertEquals(mine[3][i], lap[i], 1e-11);
            for (int k = 0; k < d; k++) {
                assertEquals(mine[2][i * d + k], g[i * d + k], 1e-12);
            }
        }
        double[] eLoader = Residuals.residual(pde, s, n, t, x);
        double[] eMine = loss.residuals(n, t, x);
        for (int i = 0; i < n; i++) {
            assertEquals(eMine[i], eLoader[i], 1e-11);
        }
        assertTrue(Files.readString(dir.resolve("surrogate.json")).contains("\"weight_layout\" : \"out_in\""));
    }

    @Test
    void kernelFitRoundTrip(@TempDir Path dir) throws Exception {
        Pde pde = BuiltinPdes.vb(3);
        KernelFit.Config c = new KernelFit.Config();
        c.centers = 200;
        c.testPoints = 200;
        c.nugget = 1e-8;
        KernelFit.Result r = KernelFit.fit(pde, c, null);
        assertTrue(r.testRelL2 < 0.01, "kernel fit held-out rel L2 " + r.testRelL2);
        SurrogateWriter.writeRbf(dir, 3, r.lengthscale, r.centers, r.alpha, r.shift, r.scale, null);
        Surrogate s = SurrogateLoader.loadSurrogate(dir.toString());
        double[] y = {0.1, -0.2, 0.3, 0.25};
        double[] u = new double[1];
        s.value(1, new double[] {y[3]}, new double[] {y[0], y[1], y[2]}, u);
        double mine = r.shift + r.scale * KernelFit.predict(y, r.centers, r.alpha, 4, 1 / (2 * r.lengthscale * r.lengthscale));
        assertEquals(mine, u[0], 1e-10);
        double[] ex = new double[1];
        pde.exact(1, new double[] {y[3]}, new double[] {y[0], y[1], y[2]}, ex);
        assertEquals(ex[0], u[0], 0.01);
    }
}
