using FastPrune.Tests.Cli;
using FastPrune.Cli;
using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Tests.Data;
using Google.Protobuf;
using Xunit;

namespace FastPrune.Tests.Bench;

/// <summary>
/// Issue 15's `bench --batch 100000`: the memory check was a lower bound (weights, inputs and the largest tensor),
/// passed at 10 GB and the run peaked at 17.4 GB. The check is now an upper bound that counts every intermediate.
/// </summary>
public sealed class MemoryBoundTests : IDisposable
{
    private const int Layers = 200, Width = 256;
    private readonly TempDir _dir = new();

    [Fact]
    public void Bench_BatchWhoseIntermediatesTogetherExceedMemory_RefusedBeforeRunning()
    {
        // A chain of Relus on [N, 256] floats: the input and the largest tensor are 1 KiB per row each, all
        // intermediates together 200 KiB. At this batch the old lower bound needed a tenth of the memory, the sum ten times it.
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long batch = available / (20L * Width * sizeof(float));
        Assert.InRange(batch, 1, int.MaxValue);
        var model = _dir.File("chain.onnx");
        File.WriteAllBytes(model, Chain().ToByteArray());

        var (code, stdout, stderr) = CliRun.Run("bench", model, "--engine", "ort-cpu", "--batch", batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--iters", "1", "--warmup", "0");

        Assert.True(code == ExitCodes.InvalidInput, stderr);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{model}: batch {batch} may not fit on ort-cpu", line, StringComparison.Ordinal);
    }

    private static ModelProto Chain()
    {
        var g = new GraphProto { Name = "chain" };
        g.Input.Add(Batched("x"));
        string prev = "x";
        for (int i = 0; i < Layers; i++)
        {
            var n = new NodeProto { OpType = "Relu", Name = $"r{i}" };
            n.Input.Add(prev);
            prev = i == Layers - 1 ? "y" : $"t{i}";
            n.Output.Add(prev);
            g.Node.Add(n);
        }
        g.Output.Add(Batched("y"));
        var m = new ModelProto { IrVersion = 7, Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return m;
    }

    private static ValueInfoProto Batched(string name)
    {
        var v = GraphBuilder.MakeValueInfo(name, ElemType.Float, [1, Width]);
        v.Type.TensorType.Shape.Dim[0].ClearDimValue();
        v.Type.TensorType.Shape.Dim[0].DimParam = "N";
        return v;
    }

    public void Dispose() => _dir.Dispose();
}
