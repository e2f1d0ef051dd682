using System.Diagnostics;
using System.Globalization;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;

namespace FastPrune.Bench;

/// <summary>
/// The one-shot check for a lent GPU machine: the same subnets reconstructed on the managed CPU engine
/// and on ILGPU CUDA (accuracies must agree, times compared in the same process), and whether ONNX
/// Runtime's CUDA execution provider loads.
/// </summary>
public sealed class GpuCheckBench : IBench
{
    public string Name => "gpucheck";

    public string Summary => "CPU vs CUDA reconstruction of the same subnets on the samples, and the ORT CUDA provider probe";

    public int Run(string[] args)
    {
        using (var probe = SessionFactory.Create(useCuda: true, threads: 1, out var reason))
            Console.WriteLine($"ort-cuda: {reason ?? "CUDA execution provider appended"}");
        foreach (var model in (args.Length > 0 ? args[0] : "resnet,mobilenet,vit").Split(','))
        {
            var results = new Dictionary<ComputeDevice, List<(double Acc, double Recon)>>();
            foreach (var device in new[] { ComputeDevice.Cpu, ComputeDevice.Cuda })
            {
                var o = SearchBench.SampleOptions(model, 0, ReconMode.Corrective) with { Device = device, EvalDataPath = "samples/data/test-images-idx3-ubyte" };
                var sw = Stopwatch.StartNew();
                using var s = CalibratedModel.Open(o);
                Console.WriteLine($"{model} {device}: engine {s.ReconDevice}, open+collect {sw.Elapsed.TotalSeconds:F2}s, unpruned {s.BaselineAccuracy:F4}");
                var list = new List<(double, double)>();
                foreach (var ratio in new[] { 0.7, 0.5 })
                    foreach (var mode in new[] { ReconMode.Paper, ReconMode.Corrective })
                    {
                        var r = s.Evaluate(Genome.Uniform(s.Structure.Genes, ratio), mode);
                        list.Add((r.Accuracy, r.Times.Recon));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  ratio {ratio:F1} {mode,-10} acc {r.Accuracy:F4}  surgery {r.Times.Surgery:F3}s recon {r.Times.Recon:F3}s session {r.Times.Session:F3}s infer {r.Times.Infer:F3}s"));
                    }
                results[device] = list;
            }
            double maxDiff = results[ComputeDevice.Cpu].Zip(results[ComputeDevice.Cuda]).Max(p => Math.Abs(p.First.Acc - p.Second.Acc));
            Console.WriteLine($"{model}: max |accuracy cpu - cuda| = {maxDiff:F4}");
        }
        return 0;
    }
}
