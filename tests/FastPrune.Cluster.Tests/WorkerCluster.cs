using FastPrune.Pipeline;
using FastPrune.Search;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace FastPrune.Cluster.Tests;

/// <summary>Orleans' in-process test cluster with FastPrune workers (single-threaded CPU) on every silo, and the small
/// searches over the bundled sample that the tests run on it and in process.</summary>
internal static class WorkerCluster
{
    /// <summary>A deployed cluster of <paramref name="silos"/> workers; with <paramref name="stallLast"/> the last one
    /// waits that long before each of its first <paramref name="stalls"/> evaluations (a stalled device).</summary>
    public static async Task<InProcessTestCluster> StartAsync(int silos, TimeSpan stallLast = default, int stalls = int.MaxValue)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((o, silo) =>
        {
            if (stallLast > TimeSpan.Zero && o.SiloName.EndsWith((silos - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
                silo.Services.AddSingleton<IWorkerSessions>(sp => new StalledSessions(sp.GetRequiredService<WorkerSessions>(), stallLast, stalls));
            silo.AddFastPruneWorker(new WorkerSettings(1, ComputeTarget.Cpu));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>A worker's sessions behind a device that stalls: the first <paramref name="stalls"/> evaluations wait
    /// <paramref name="stall"/> before they start.</summary>
    private sealed class StalledSessions(WorkerSessions inner, TimeSpan stall, int stalls) : IWorkerSessions
    {
        private int _calls;

        public CalibratedModel For(string spec, CancellationToken cancel)
        {
            if (Interlocked.Increment(ref _calls) <= stalls) Thread.Sleep(stall);
            return inner.For(spec, cancel);
        }
    }

    /// <summary>A search of a few generations on the bundled ResNet sample (64 calibration and evaluation images).</summary>
    public static RunOptions Search(string outDir, int seed, int budget = 24) => new()
    {
        Prune = new PruneOptions
        {
            ModelPath = BundledSample.ModelPath,
            DataPath = BundledSample.DataPath,
            Calib = 64,
            Eval = 64,
            Seed = seed,
            Recon = ReconMode.Paper,
            Device = FastPrune.Kernels.ComputeDevice.Cpu,
            BatchSize = 32,
            Threads = 1,
        },
        OutDir = outDir,
        Budget = budget,
        Population = 8,
        Offspring = 8,
        SearchRecon = ReconMode.Paper,
    };

    /// <summary>history.csv without the timing columns: index, generation, genome, macs, params, accuracy.</summary>
    public static string[] History(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "history.csv")).Skip(1).Select(l => string.Join(',', l.Split(',').Take(6))).ToArray();

    /// <summary>The log of a cluster run, safe to append to from the coordinator's continuations.</summary>
    public sealed class Log
    {
        private readonly List<string> _lines = [];
        public Action<string>? OnLine { get; set; }

        public void Add(string line)
        {
            lock (_lines) _lines.Add(line);
            OnLine?.Invoke(line);
        }

        public string[] Lines(string kind)
        {
            // "" gives every line, in order.
            lock (_lines) return _lines.Where(l => kind.Length == 0 || l.StartsWith(kind + ' ', StringComparison.Ordinal)).ToArray();
        }
    }
}

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastprune-cluster-" + Guid.NewGuid().ToString("N"));

    public string Dir(string name)
    {
        var d = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(d);
        return d;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
