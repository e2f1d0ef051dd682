using FastPrune.Pipeline;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// With every channel kept, one corrective pass re-solves every layer from the original network's own
/// rows (nothing upstream changed yet), so each layer must come back as the ridge solution of data its
/// original weights fit exactly: the original layer, up to the ridge's shrinkage. The samples' features
/// are nearly collinear, so that shrinkage moves the weights a lot (30–80%) while moving the layer's
/// outputs little; the test asserts both exactly: the float64 normal equations, and the ridge's
/// provable bound on the outputs, ‖[X 1](W − W₀)‖ ≤ (√λ/2)·‖W₀‖ (per eigen-direction σ of G the
/// output moves by √σ·λ/(σ+λ)·|w₀| ≤ √λ/2·|w₀|).
/// </summary>
public sealed class AllKeptReconstructionTests
{
    // See RealLayerReconstructionTests: float32 solve, backward error ~1e-6.
    private const double ResidualBound = 1e-4;

    [Theory]
    [Trait("Category", "Slow")] // 12-16 s each under load: the largest of the fast set
    [InlineData("resnet.onnx")]
    [InlineData("vit.onnx")]
    public void Evaluate_CorrectiveOnePassWithEveryChannelKept_GivesBackTheOriginalLayersWithinTheRidge(string file)
    {
        string modelPath = Path.Combine(Path.GetDirectoryName(SampleFiles.ResNet)!, file);
        using var session = CalibratedModel.Open(Sessions.Options(modelPath, ReconMode.Corrective, everyRow: true) with { CorrectivePasses = 1 });
        var s = session.Structure;
        var r = session.Evaluate(Sessions.Max(s), ReconMode.Corrective, keepModel: true);
        Assert.Equal(session.OriginalCost.Macs, r.Macs);
        var images = OrtProbe.CalibrationImages(SampleFiles.CalibImages, Sessions.Mnist, 64, 64, 7, out int n);
        double alpha = session.Options.Alpha;
        Assert.NotEmpty(s.Layers);
        foreach (var layer in s.Layers)
        {
            var w0 = OrtProbe.LayerW(s.Model.Proto, layer, out _, out _);
            var w = OrtProbe.LayerW(r.Model!.Proto, layer, out _, out _);
            var rows = LayerRows.Collect(s.Model.Proto, layer, images, Sessions.Mnist, n);
            var (g, h, size) = Ridge.Normal(rows.X, rows.Y, rows.Rows, rows.Cols, rows.Outputs, layer.Bias is not null);
            var reference = Ridge.SolveNormal(g, h, size, rows.Outputs, alpha);

            // Solved from the original rows, every layer (none skipped: see the last assertion).
            double residual = Ridge.NormalResidual(g, h, size, rows.Outputs, alpha, w);
            Assert.True(residual <= ResidualBound, $"{layer.Name}: normal-equation residual {residual:E2}");

            // The original layer, within the ridge's effect on its outputs.
            double moved = Ridge.OutputDistance(g, size, rows.Outputs, w, w0);
            double bound = Math.Sqrt(Ridge.Lambda(g, size, alpha)) / 2 * Ridge.Norm(w0);
            double scale = Ridge.OutputDistance(g, size, rows.Outputs, w0, new double[w0.Length]);
            Assert.True(moved <= bound + 1e-4 * scale, $"{layer.Name}: outputs moved by {moved:E3}, ridge bound {bound:E3}");

            // Where the ridge visibly moves the weights, they moved with it (an unsolved layer would stay at W₀).
            double ridgeShift = Ridge.RelativeError(w0, reference);
            if (ridgeShift > 1e-3)
                Assert.True(Ridge.RelativeError(w, reference) < 0.5 * ridgeShift,
                    $"{layer.Name}: {Ridge.RelativeError(w, reference):E2} from the ridge solution, the original is {ridgeShift:E2}");
        }
    }

    [Fact]
    public void Evaluate_PaperWithEveryChannelKept_LeavesTheWeightsUntouched()
    {
        // No input was pruned, so paper mode has nothing to solve: slicing the outputs is exact.
        using var session = CalibratedModel.Open(Sessions.Options(SampleFiles.ResNet, ReconMode.Paper, calib: 32, eval: 32));
        var r = session.Evaluate(Sessions.Max(session.Structure), ReconMode.Paper, keepModel: true);
        foreach (var layer in session.Structure.Layers)
            Assert.Equal(OrtProbe.LayerW(session.Structure.Model.Proto, layer, out _, out _), OrtProbe.LayerW(r.Model!.Proto, layer, out _, out _));
        Assert.Equal(session.BaselineAccuracy, r.Accuracy);
    }
}
