using FastPrune.Kernels;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FastPrune.Kernels.Tests;

/// <summary>
/// Every available engine, created once per test run (ILGPU compiles kernels on creation). Kernel tests take the
/// device name as theory data so each runs on the managed CPU path, ILGPU's CPU accelerator and, where present, CUDA.
/// </summary>
public static class Engines
{
    private static readonly Dictionary<string, IReconEngine> Cache = new();
    private static readonly Lazy<bool> HasCuda = new(() =>
    {
        try
        {
            var e = ReconEngine.Create(ComputeDevice.Cuda);
            Cache["cuda"] = e;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    });

    /// <summary>Device names for [MemberData].</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string> { "cpu", "ilgpu-cpu" };
        if (HasCuda.Value)
            data.Add("cuda");
        return data;
    }

    /// <summary>The shared engine for a device name.</summary>
    public static IReconEngine Get(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var engine))
                Cache[name] = engine = ReconEngine.Create(ReconEngine.ParseDevice(name));
            return engine;
        }
    }
}
