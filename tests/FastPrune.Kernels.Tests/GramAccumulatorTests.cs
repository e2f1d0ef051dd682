using Xunit;

namespace FastPrune.Kernels.Tests;

public class GramAccumulatorTests
{
    public static TheoryData<string> Devices => Engines.All();

    [Theory]
    [MemberData(nameof(Devices))]
    public void Add_RandomBatchesOfOddShapes_MatchesFloat64Reference(string device)
    {
        var engine = Engines.Get(device);
        foreach (var (cols, rhs, ones) in new[] { (1, 1, false), (7, 3, true), (33, 40, false), (70, 5, true) })
        {
            int[] batches = { 5, 37, 130 };
            int rows = batches.Sum();
            var x = Reference.Random(rows * cols, cols * 31 + rhs);
            var y = Reference.Random(rows * rhs, cols * 17 + rhs, 0.5f, 2f);
            using var acc = engine.CreateAccumulator(cols, rhs, ones);
            int r0 = 0;
            foreach (var b in batches)
            {
                acc.Add(x.AsSpan(r0 * cols, b * cols), y.AsSpan(r0 * rhs, b * rhs), b);
                r0 += b;
            }
            acc.Flush();

            var xs = ones ? Reference.WithOnes(x, rows, cols) : x;
            int size = cols + (ones ? 1 : 0);
            Assert.Equal(rows, acc.Rows);
            Assert.Equal(size, acc.Size);
            Assert.True(Reference.RelError(acc.GramMatrix, Reference.AtB(xs, rows, size, xs, size)) < 1e-6, $"G {cols}x{rhs}");
            Assert.True(Reference.RelError(acc.CrossMatrix, Reference.AtB(xs, rows, size, y, rhs)) < 1e-6, $"H {cols}x{rhs}");
        }
    }

    [Trait("Category", "Slow")] // about a minute on ILGPU's CPU accelerator: left out by tools/test.sh --fast
    [Theory]
    [MemberData(nameof(Devices))]
    public void Add_SameRowsInOtherBatchSizes_BitIdenticalGrams(string device)
    {
        // Batch sizes follow the machine's memory; the Gram of the same rows in the same order must not. 1000 rows
        // cross several row blocks and end in a partial one; the splits cut blocks at different places.
        var engine = Engines.Get(device);
        const int cols = 45, rhs = 7, rows = 1000;
        var x = Reference.Random(rows * cols, 71);
        var y = Reference.Random(rows * rhs, 72, 0.5f, 2f);
        (double[] G, double[] H) Accumulate(int[] batches)
        {
            using var acc = engine.CreateAccumulator(cols, rhs, appendOnes: true);
            int r0 = 0;
            for (int i = 0; r0 < rows; i++)
            {
                int b = Math.Min(batches[i % batches.Length], rows - r0);
                acc.Add(x.AsSpan(r0 * cols, b * cols), y.AsSpan(r0 * rhs, b * rhs), b);
                r0 += b;
            }
            acc.Flush();
            return (acc.GramMatrix.ToArray(), acc.CrossMatrix.ToArray());
        }

        var (g, h) = Accumulate([rows]);
        foreach (var split in new[] { new[] { 1 }, [9], [260], [5, 300, 17, 128] })
        {
            var (g2, h2) = Accumulate(split);
            Assert.Equal(g, g2);
            Assert.Equal(h, h2);
        }
        var xs = Reference.WithOnes(x, rows, cols);
        Assert.True(Reference.RelError(g, Reference.AtB(xs, rows, cols + 1, xs, cols + 1)) < 1e-6);
    }

    [Trait("Category", "Slow")] // tens of seconds on ILGPU's CPU accelerator: left out by tools/test.sh --fast
    [Theory]
    [MemberData(nameof(Devices))]
    public void Add_ManyRowsWithLargeMean_FloatSixtyFourFoldBeatsNaiveFloat32(string device)
    {
        // Features with a large common offset are the worst case for float32 running sums: every product is ~100
        // and the total grows past 2²⁴ ulps. Float32 blocks folded into float64 keep the error near one block's.
        // The ILGPU CPU accelerator emulates barriers thread by thread: give it fewer rows.
        const int cols = 8, rhs = 2;
        int rows = device == "ilgpu-cpu" ? 3_200 : 60_000, batch = rows / 8;
        var x = Reference.Random(rows * cols, 5, 9f, 11f);
        var y = Reference.Random(rows * rhs, 6, 9f, 11f);
        var reference = Reference.AtB(x, rows, cols, x, cols);
        var naive = new double[cols * cols];
        var run = new float[cols * cols];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < cols; i++)
                for (int j = 0; j < cols; j++)
                    run[i * cols + j] += x[r * cols + i] * x[r * cols + j];
        for (int i = 0; i < run.Length; i++) naive[i] = run[i];

        using var acc = Engines.Get(device).CreateAccumulator(cols, rhs);
        for (int r0 = 0; r0 < rows; r0 += batch)
            acc.Add(x.AsSpan(r0 * cols, batch * cols), y.AsSpan(r0 * rhs, batch * rhs), batch);
        acc.Flush();

        double ours = Reference.RelError(acc.GramMatrix, reference);
        double naiveError = Reference.RelError(naive, reference);
        Assert.True(ours < 1e-6, $"blocked float32 + float64 fold: {ours:E2}");
        Assert.True(naiveError > 10 * ours, $"naive float32 {naiveError:E2} vs ours {ours:E2}");
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Complete_AfterRows_KeepsGramAndCrossAndRefusesMoreRows(string device)
    {
        const int cols = 13, rhs = 5, rows = 40;
        var x = Reference.Random(rows * cols, 21);
        var y = Reference.Random(rows * rhs, 22);
        using var acc = Engines.Get(device).CreateAccumulator(cols, rhs, appendOnes: true);
        acc.Add(x, y, rows);
        acc.Flush();
        var gram = acc.GramMatrix.ToArray();
        var cross = acc.CrossMatrix.ToArray();

        acc.Complete();

        Assert.True(acc.Completed);
        Assert.Equal(gram, acc.GramMatrix.ToArray());
        Assert.Equal(cross, acc.CrossMatrix.ToArray());
        var p = acc.Gather([0, 2, cols], [1, 3]);
        Assert.Equal(3, p.KeptIn.Length);
        Assert.Throws<InvalidOperationException>(() => acc.Add(x, y, rows));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Gather_SubBlocks_MatchSlicedReference(string device)
    {
        const int cols = 21, rhs = 9, rows = 64;
        var x = Reference.Random(rows * cols, 11);
        var y = Reference.Random(rows * rhs, 12);
        using var acc = Engines.Get(device).CreateAccumulator(cols, rhs, appendOnes: true);
        acc.Add(x, y, rows);
        int[] keptIn = { 0, 3, 4, 10, 20, 21 };
        int[] keptOut = { 1, 2, 8 };
        var problem = acc.Gather(keptIn, keptOut, "layer");

        var g = new double[keptIn.Length * keptIn.Length];
        var h = new double[keptIn.Length * keptOut.Length];
        Array.Fill(g, double.NaN);
        Array.Fill(h, double.NaN);
        problem.CopySubBlocks(g, h);

        var xs = Reference.WithOnes(x, rows, cols);
        var gFull = Reference.AtB(xs, rows, cols + 1, xs, cols + 1);
        var hFull = Reference.AtB(xs, rows, cols + 1, y, rhs);
        var gRef = keptIn.SelectMany(i => keptIn.Select(j => gFull[i * (cols + 1) + j])).ToArray();
        var hRef = keptIn.SelectMany(i => keptOut.Select(j => hFull[i * rhs + j])).ToArray();
        Assert.True(Reference.RelError(g, gRef) < 1e-6);
        Assert.True(Reference.RelError(h, hRef) < 1e-6);
        Assert.Equal("layer", problem.Label);
        Assert.Equal(6, problem.Size);
        Assert.Equal(3, problem.Rhs);
    }

    [Fact]
    public void Argument_Failures_ThrowExactTypes()
    {
        var engine = Engines.Get("cpu");
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.CreateAccumulator(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.CreateAccumulator(1, 0));
        using var acc = engine.CreateAccumulator(4, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => acc.Add(new float[8], new float[4], -1));
        Assert.Throws<ArgumentException>(() => acc.Add(new float[7], new float[4], 2));
        Assert.Throws<ArgumentException>(() => acc.Add(new float[8], new float[3], 2));
        acc.Add(Reference.Random(8, 1), Reference.Random(4, 2), 2);
        Assert.Throws<InvalidOperationException>(() => acc.GramMatrix.Length);
        Assert.Throws<InvalidOperationException>(() => acc.CrossMatrix.Length);
        Assert.Throws<ArgumentException>(() => acc.Gather(Array.Empty<int>(), new[] { 0 }));
        Assert.Throws<ArgumentException>(() => acc.Gather(new[] { 1, 1 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => acc.Gather(new[] { 2, 1 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => acc.Gather(new[] { 4 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => acc.Gather(new[] { 0 }, new[] { 2 }));
        var problem = acc.Gather(new[] { 0, 1 }, new[] { 0 });
        Assert.Throws<ArgumentException>(() => problem.CopySubBlocks(new double[3], new double[2]));
        Assert.Throws<ArgumentException>(() => problem.CopySubBlocks(new double[4], new double[3]));
        acc.Dispose();
        Assert.Throws<ObjectDisposedException>(() => acc.Add(new float[8], new float[4], 2));
        Assert.Throws<ObjectDisposedException>(() => acc.Flush());
    }
}
