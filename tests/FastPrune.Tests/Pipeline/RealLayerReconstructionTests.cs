using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Paper reconstruction of real layers of the bundled models against a float64 ridge solve of the
/// same rows: the session samples every conv position / every token (more per image than exist), the
/// reference runs the original model in ONNX Runtime itself, samples with the kernels' samplers,
/// drops the pruned input channels and solves the normal equations in float64.
/// </summary>
public sealed class RealLayerReconstructionTests
{
    // The pipeline rounds G + λI to float32 and factors it in float32: a backward-stable solve whose
    // relative residual in the float64 system is ~n·ε32 ≈ 1e-6 here. 1e-4 leaves a 100× margin, while a
    // wrong row, channel, output, bias or λ leaves ≥ 1e-2 (the sliced weights' residual is checked too).
    // The weights themselves can differ by up to κ·residual (κ of ResNet features is ~1e5 at α = 1e-4,
    // so a fixed weight bound like 1e-3 would be wrong on real layers): that bound is asserted, with κ
    // computed in float64, and so is a plain 5e-2 ceiling.
    private const double ResidualBound = 1e-4;
    private const double WeightCeiling = 5e-2;

    // A larger ridge than the default 1e-4, so that a wrong λ rule moves the residual far above its bound.
    private const double Alpha = 1e-2;

    [Fact]
    public void Evaluate_PaperWithHalfOfAConvGroup_MatchesFloat64Ridge() => CheckFirstGene(SampleFiles.ResNet, GeneKind.Channels, expectConv: true);

    [Fact]
    public void Evaluate_PaperWithHalfOfATransformerHiddenGroup_MatchesFloat64Ridge() => CheckFirstGene(SampleFiles.Vit, GeneKind.Hidden, expectConv: false);

    private static void CheckFirstGene(string modelPath, GeneKind kind, bool expectConv)
    {
        using var session = CalibratedModel.Open(Sessions.Options(modelPath, ReconMode.Paper, everyRow: true) with { Alpha = Alpha });
        var s = session.Structure;
        int gi = s.Genes.ToList().FindIndex(g => g.Kind == kind);
        Assert.True(gi >= 0, $"no {kind} gene in {modelPath}");
        var genome = Sessions.Max(s);
        genome[gi] = s.Genes[gi].Nearest(s.Genes[gi].Max / 2.0);
        var pm = Sessions.Slices(session, genome);
        var affected = s.Layers.Where(l => pm.Kept(l.Weight, Sessions.InAxis(s, l)) is not null).ToList();
        Assert.NotEmpty(affected);
        Assert.Contains(affected, l => (l.OpType == "Conv") == expectConv);

        var paper = session.Evaluate(genome, ReconMode.Paper, keepModel: true);
        var sliced = session.Evaluate(genome, ReconMode.None, keepModel: true);
        var images = OrtProbe.CalibrationImages(SampleFiles.CalibImages, Sessions.Mnist, 64, 64, 7, out int n);
        Assert.Equal(session.Counts.Calib, n);
        foreach (var layer in affected)
        {
            var keptIn = pm.Kept(layer.Weight, Sessions.InAxis(s, layer));
            var keptOut = pm.Kept(layer.Weight, Sessions.OutAxis(s, layer));
            var rows = LayerRows.Collect(s.Model.Proto, layer, images, Sessions.Mnist, n).Keep(keptIn, keptOut);
            bool bias = layer.Bias is not null;
            var (g, h, size) = Ridge.Normal(rows.X, rows.Y, rows.Rows, rows.Cols, rows.Outputs, bias);
            var reference = Ridge.SolveNormal(g, h, size, rows.Outputs, Alpha);
            var got = OrtProbe.LayerW(paper.Model!.Proto, layer, out int inputs, out int outputs);
            Assert.Equal((rows.Cols, rows.Outputs), (inputs, outputs));
            Assert.All(got, v => Assert.True(double.IsFinite(v)));
            double residual = Ridge.NormalResidual(g, h, size, rows.Outputs, Alpha, got);
            double kappa = Ridge.Condition(g, size, Alpha);
            double err = Ridge.RelativeError(got, reference);
            Assert.True(residual <= ResidualBound, $"{layer.Name}: normal-equation residual {residual:E2} > {ResidualBound:E0}");
            Assert.True(err <= Math.Min(WeightCeiling, kappa * residual), $"{layer.Name}: weight error {err:E2}, κ {kappa:E2}, residual {residual:E2}");
            // The sliced weights do not solve the system: the residual would catch a skipped or misplaced solve.
            var slicedW = OrtProbe.LayerW(sliced.Model!.Proto, layer, out _, out _);
            double slicedResidual = Ridge.NormalResidual(g, h, size, rows.Outputs, Alpha, slicedW);
            Assert.True(slicedResidual > 100 * ResidualBound, $"{layer.Name}: sliced weights already have residual {slicedResidual:E2}");
        }
    }
}
