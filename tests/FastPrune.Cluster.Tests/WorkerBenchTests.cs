using Xunit;

namespace FastPrune.Cluster.Tests;

/// <summary>The coordinator's bench of failed workers: back-off doubling per failure in a row, capped, cleared by an answer.</summary>
public sealed class WorkerBenchTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(10);

    [Fact]
    public void Strike_RepeatedFailures_BackoffDoublesUpToCap()
    {
        var bench = new WorkerBench(Base, new ManualClock());
        var waits = Enumerable.Range(0, 7).Select(_ => bench.Strike("a").TotalSeconds).ToArray();
        Assert.Equal([10, 20, 40, 80, 160, 160, 160], waits);
    }

    [Fact]
    public void IsBenched_BeforeAndAfterBackoff_SitsOutThenProbed()
    {
        var clock = new ManualClock();
        var bench = new WorkerBench(Base, clock);
        bench.Strike("a");
        Assert.True(bench.IsBenched("a"));
        Assert.False(bench.IsBenched("b"));
        clock.Advance(Base - TimeSpan.FromMilliseconds(1));
        Assert.True(bench.IsBenched("a"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(bench.IsBenched("a"));
        // The probe failed as well: the second back-off is twice as long, from now.
        Assert.Equal(2 * Base, bench.Strike("a"));
        clock.Advance(2 * Base - TimeSpan.FromMilliseconds(1));
        Assert.True(bench.IsBenched("a"));
    }

    [Fact]
    public void Readmit_AfterAnswer_ClearsRecord()
    {
        var bench = new WorkerBench(Base, new ManualClock());
        bench.Strike("a");
        bench.Strike("a");
        Assert.True(bench.Readmit("a"));
        Assert.False(bench.IsBenched("a"));
        Assert.False(bench.Readmit("a"));
        // A clean record: the next failure starts from the base back-off again.
        Assert.Equal(Base, bench.Strike("a"));
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
    }
}
