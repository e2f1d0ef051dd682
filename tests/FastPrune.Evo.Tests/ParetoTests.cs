namespace FastPrune.Evo.Tests;

public class ParetoTests
{
    /// <summary>Union-of-rectangles area by coordinate compression: every cell of the grid spanned by all point
    /// coordinates is tested for cover, an O(N³) route independent of the sweep under test.</summary>
    private static double BruteForceArea(double[][] p, double r0, double r1)
    {
        var inside = p.Where(q => q[0] < r0 && q[1] < r1).ToArray();
        var xs = inside.Select(q => q[0]).Append(r0).Distinct().Order().ToArray();
        var ys = inside.Select(q => q[1]).Append(r1).Distinct().Order().ToArray();
        double area = 0;
        for (int i = 0; i + 1 < xs.Length; i++)
            for (int j = 0; j + 1 < ys.Length; j++)
                if (inside.Any(q => q[0] <= xs[i] && q[1] <= ys[j]))
                    area += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]);
        return area;
    }

    [Fact]
    public void Hypervolume2D_RandomPoints_MatchesBruteForce()
    {
        var rng = new Xoshiro256StarStar(21);
        for (int trial = 0; trial < 30; trial++)
        {
            int n = rng.NextInt(1, 40);
            var p = Enumerable.Range(0, n).Select(_ => new[] { rng.NextDouble() * 1.2, rng.NextDouble() * 1.2 }).ToArray();
            if (trial % 3 == 0)
                p = p.Select(q => new[] { Math.Round(q[0] * 5) / 5, Math.Round(q[1] * 5) / 5 }).ToArray();   // ties
            double expected = BruteForceArea(p, 1.0, 1.1);
            double actual = Pareto.Hypervolume2D(p, [1.0, 1.1]);
            Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, expected), $"{actual} vs {expected}");
        }
    }

    [Fact]
    public void Hypervolume2D_KnownStaircase_ExactArea() =>
        // Rectangles [1,4]×[3,4] ∪ [2,4]×[1,4] = 3 + 6 − overlap 2 = 7.
        Assert.Equal(7.0, Pareto.Hypervolume2D([[1, 3], [2, 1], [4, 0], [3, 5]], [4, 4]), 12);

    [Fact]
    public void Hypervolume2D_BadInput_ThrowsExactTypes()
    {
        Assert.Throws<ArgumentNullException>(() => Pareto.Hypervolume2D(null!, [1, 1]));
        Assert.Throws<ArgumentException>(() => Pareto.Hypervolume2D([[0.5, 0.5]], [1]));
        Assert.Throws<ArgumentException>(() => Pareto.Hypervolume2D([[0.5, 0.5, 0.5]], [1, 1]));
        Assert.Throws<ArgumentException>(() => Pareto.Hypervolume2D([[double.NaN, 0.5]], [1, 1]));
    }

    [Fact]
    public void Front_RandomRecords_NonDominatedSetSortedByObjective0()
    {
        var rng = new Xoshiro256StarStar(4);
        var records = Enumerable.Range(0, 200)
            .Select(i => new Evaluated([i], [rng.NextInt(0, 30), rng.NextInt(0, 30)])).ToList();
        var front = Pareto.Front(records);
        var expected = records.Where(r => !records.Any(o => NonDominatedSorting.Dominates(o.Objectives, r.Objectives))).ToHashSet();
        Assert.Equal(expected.Count, front.Count);
        Assert.All(front, r => Assert.Contains(r, expected));
        for (int i = 1; i < front.Count; i++)
        {
            Assert.True(front[i - 1].Objectives[0] <= front[i].Objectives[0]);
            if (front[i - 1].Objectives[0] < front[i].Objectives[0])
                Assert.True(front[i - 1].Objectives[1] > front[i].Objectives[1]);
        }
    }

    [Fact]
    public void Front_Null_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => Pareto.Front(null!));
}
