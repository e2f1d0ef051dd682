namespace FastPrune.Evo.Tests;

public class HyperplaneNormalizationTests
{
    [Fact]
    public void Update_LinearFront_NadirIsTheIntercepts()
    {
        // Front on 2·f0 + f1 = 4 shifted by ideal (1, 1); a dominated point far out must not move the nadir.
        double[][] p = [[1, 5], [2, 3], [2.5, 2], [3, 1], [9, 9]];
        var norm = new HyperplaneNormalization(2);
        norm.Update(p, [0, 1, 2, 3]);
        Assert.False(norm.FellBack);
        Assert.Equal([1.0, 1.0], norm.Ideal);
        Assert.Equal(3.0, norm.Nadir[0], 12);
        Assert.Equal(5.0, norm.Nadir[1], 12);
        var z = new double[2];
        norm.Normalize([2, 3], z);
        Assert.Equal(0.5, z[0], 12);
        Assert.Equal(0.5, z[1], 12);
    }

    [Fact]
    public void Update_DegenerateFrontOnePoint_FallsBackToWorstOfFrontThenPopulation()
    {
        // One front point: both extreme points coincide, so the hyperplane is singular. The fallback
        // (worst of front = the point itself) has zero range, which then widens to the population's worst.
        double[][] p = [[2, 3], [4, 7], [5, 4]];
        var norm = new HyperplaneNormalization(2);
        norm.Update(p, [0]);
        Assert.True(norm.FellBack);
        Assert.Equal([5.0, 7.0], norm.Nadir);
    }

    [Fact]
    public void Update_CollinearExtremesIn3D_FallsBackToWorstOfFront()
    {
        // Three front points on one line in 3-D: the extreme points span only a line, no plane.
        double[][] p = [[0, 2, 2], [1, 1, 1], [2, 0, 0], [3, 3, 3]];
        var norm = new HyperplaneNormalization(3);
        norm.Update(p, [0, 1, 2]);
        Assert.True(norm.FellBack);
        Assert.Equal([2.0, 2.0, 2.0], norm.Nadir);
    }

    [Fact]
    public void Update_EmptyFront_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => new HyperplaneNormalization(2).Update([[1.0, 2.0]], []));

    [Fact]
    public void Constructor_NoObjectives_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperplaneNormalization(0));
}
