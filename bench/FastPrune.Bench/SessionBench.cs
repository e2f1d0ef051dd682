using System.Diagnostics;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Zoo;
using FastPrune.Pipeline;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Bench;

/// <summary>
/// Where a subnet's session time goes: serialising the pruned model against creating the ONNX
/// Runtime session from the bytes. Serialisation is all that SessionOptions.AddInitializer over
/// memory we own could save, since every genome has other shapes and needs a session of its own.
/// </summary>
public sealed class SessionBench : IBench
{
    public string Name => "session";

    public string Summary => "serialise vs create-session time of pruned models: session [resnet50,deit_small,samples/resnet.onnx]";

    public int Run(string[] args)
    {
        var names = (args.Length > 0 ? args[0] : "samples/resnet.onnx,resnet50,deit_small").Split(',');
        Console.WriteLine("model\tkeep\tmodel_MB\tserialise_s\tsession_s\tserialise_share");
        foreach (var name in names)
        {
            var model = name.EndsWith(".onnx", StringComparison.Ordinal) ? OnnxModel.Load(name) : OnnxModel.FromProto(ZooModels.Build(name, 0));
            var s = PrunableStructure.Analyze(model);
            foreach (var keep in new[] { 1.0, 0.7 })
            {
                var pruned = PrunedSubnet.Build(s, Genome.Uniform(s.Genes, keep), SelectionMethod.L1, 0).Model;
                double ser = double.MaxValue, ses = double.MaxValue;
                long size = 0;
                for (int r = 0; r < 3; r++)
                {
                    var sw = Stopwatch.StartNew();
                    var bytes = pruned.Proto.ToByteArray();
                    ser = Math.Min(ser, sw.Elapsed.TotalSeconds);
                    size = bytes.Length;
                    sw.Restart();
                    using var options = SessionFactory.Create(false, Environment.ProcessorCount, out _);
                    using (var session = new InferenceSession(bytes, options)) { }
                    ses = Math.Min(ses, sw.Elapsed.TotalSeconds);
                }
                Console.WriteLine($"{name}\t{keep:F1}\t{size / 1e6:F1}\t{ser:F4}\t{ses:F4}\t{ser / (ser + ses):P1}");
            }
        }
        return 0;
    }
}
