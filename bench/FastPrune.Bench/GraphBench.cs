using System.Diagnostics;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Zoo;
using Google.Protobuf;

namespace FastPrune.Bench;

/// <summary>
/// Graph I/O and surgery at full size. Usage: <c>graph [repeats=3]</c>. Writes DeiT-Base with the zoo into a temp
/// folder, then measures (best of <c>repeats</c>):
/// load + save of that file, with peak managed memory above the idle heap, against a raw read + write of the same
/// bytes (the I/O floor, same run); and ChannelSelection + Surgery at keep-ratio 0.5 for ResNet50 and DeiT-Base,
/// with bytes allocated against the pruned model's serialized size, and time against copying those bytes once.
/// </summary>
public sealed class GraphBench : IBench
{
    /// <inheritdoc/>
    public string Name => "graph";

    /// <inheritdoc/>
    public string Summary => "DeiT-Base load+save time and peak memory vs raw file I/O; surgery time and allocations at keep-ratio 0.5";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var dir = Directory.CreateTempSubdirectory("fastprune-bench-").FullName;
        try
        {
            var path = Path.Combine(dir, "deit_base.onnx");
            File.WriteAllBytes(path, ZooModels.Build("deit_base", 1).ToByteArray());
            LoadSave(path, Path.Combine(dir, "saved.onnx"), repeats);
            Surgery("resnet50", OnnxModel.FromProto(ZooModels.Build("resnet50", 1)), repeats);
            Surgery("deit_base", OnnxModel.Load(path), repeats);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    private static void LoadSave(string path, string saved, int repeats)
    {
        long size = new FileInfo(path).Length;
        double raw = Best(repeats, () => File.WriteAllBytes(saved, File.ReadAllBytes(path)));
        double load = double.MaxValue, save = double.MaxValue;
        long peak = 0;
        for (int r = 0; r < repeats; r++)
        {
            Collect();
            using var sampler = new PeakSampler();
            var sw = Stopwatch.StartNew();
            var m = OnnxModel.Load(path);
            load = Math.Min(load, sw.Elapsed.TotalSeconds);
            sw.Restart();
            m.Save(saved);
            save = Math.Min(save, sw.Elapsed.TotalSeconds);
            peak = Math.Max(peak, sampler.Stop());
            GC.KeepAlive(m);
        }
        Console.WriteLine($"deit_base load+save: file {size / 1e6:F1} MB");
        Console.WriteLine($"  load {load:F3} s + save {save:F3} s = {load + save:F3} s (goal <= 1 s); raw read+write {raw:F3} s; ratio {(load + save) / raw:F2}x");
        Console.WriteLine($"  peak managed memory {peak / 1e6:F1} MB = {(double)peak / size:F2}x file size (goal <= 1.5x)");
    }

    private static void Surgery(string name, OnnxModel model, int repeats)
    {
        var sw = Stopwatch.StartNew();
        var s = PrunableStructure.Analyze(model);
        double analyze = sw.Elapsed.TotalSeconds;
        var genome = Genome.Uniform(s.Genes, 0.5);
        double best = double.MaxValue;
        long allocated = long.MaxValue;
        OnnxModel? pruned = null;
        for (int r = 0; r < repeats; r++)
        {
            Collect();
            long before = GC.GetAllocatedBytesForCurrentThread();
            sw.Restart();
            var kept = ChannelSelection.Select(s, genome, SelectionMethod.Random, r);
            pruned = Graph.Pruning.Surgery.Apply(s, kept);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        var bytes = pruned!.ToBytes();
        double copy = Best(repeats, () => GC.KeepAlive(bytes.AsSpan().ToArray()));
        double goal = name == "resnet50" ? 0.2 : 0.6;
        Console.WriteLine($"{name} surgery at keep-ratio 0.5 ({s.Genes.Count} genes; analyze {analyze:F3} s, not counted):");
        Console.WriteLine($"  select+surgery {best:F3} s (goal <= {goal} s); copying the pruned bytes once {copy:F4} s; ratio {best / copy:F0}x");
        Console.WriteLine($"  allocated {allocated / 1e6:F1} MB = {(double)allocated / bytes.Length:F2}x pruned model ({bytes.Length / 1e6:F1} MB; goal <= 1.2x); MACs {ModelCost.Compute(pruned).Macs:N0}");
    }

    private static double Best(int repeats, Action a)
    {
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            a();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Samples the managed heap every millisecond on a background thread; the peak is above the heap at start.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly long _start = GC.GetTotalMemory(false);
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public PeakSampler()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    long m = GC.GetTotalMemory(false);
                    if (m > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, m);
                    Thread.Sleep(1);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Math.Max(0, Math.Max(_peak, GC.GetTotalMemory(false)) - _start);
        }

        public void Dispose()
        {
            if (!_stop) Stop();
        }
    }
}
