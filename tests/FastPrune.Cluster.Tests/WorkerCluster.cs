using FastPrune.Pipeline;
using FastPrune.Search;
using Orleans.TestingHost;

namespace FastPrune.Cluster.Tests;

/// <summary>Orleans' in-process test cluster with FastPrune workers (single-threaded CPU) on every silo, and the small
/// searches over the bundled sample that the tests run on it and in process.</summary>
internal static class WorkerCluster
{
    /// <summary>A deployed cluster of <paramref name="silos"/> workers; with <paramref name="stallLast"/> the last one
    /// waits that long before every evaluation (a stalled device).</summary>
    public static async Task<InProcessTestCluster> StartAsync(int silos, TimeSpan stallLast = default)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((o, silo) => silo.AddFastPruneWorker(new WorkerSettings(1, ComputeTarget.Cpu)
        {
            Stall = o.SiloName.EndsWith((silos - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) ? stallLast : default,
        }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
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
            lock (_lines) return _lines.Where(l => l.StartsWith(kind + ' ', StringComparison.Ordinal)).ToArray();
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
