using FastPrune.Graph;
using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Runtime;

/// <summary>
/// ONNX Runtime CPU's blocked (NCHWc) layout on this machine, found by asking ONNX Runtime itself (its rules change
/// between releases; 1.31 pads channel counts that older releases refused). The channel block (8 floats with AVX2, 16
/// with AVX-512): a convolution whose input channels are below the block reads the plain input directly, so the smallest
/// channel count whose one-convolution model gets a <c>ReorderInput</c> in ONNX Runtime's optimised graph is the block.
/// Which convolutions run blocked: the optimised graph of a one-convolution model of the same channels and groups.
/// </summary>
internal static class OrtNchwcBlock
{
    /// <summary>The operator domain of ONNX Runtime's blocked-layout nodes.</summary>
    public const string Domain = "com.microsoft.nchwc";

    /// <summary>Channel counts tried, smallest first.</summary>
    private static readonly int[] Candidates = [4, 8, 16, 32, 64];

    private static readonly Lazy<(int Block, string? Problem)> Found = new(() => Find(Path.GetTempPath()), LazyThreadSafetyMode.ExecutionAndPublication);

    private static string? _convProblem;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(long, long, long), ConvLayout> Convs = new();

    /// <summary><paramref name="channels"/> padded up to a multiple of <paramref name="block"/>, as a blocked tensor or
    /// convolution holds them.</summary>
    public static long Padded(long channels, int block) => (channels + block - 1) / block * block;

    /// <summary>The block on ONNX Runtime CPU here; 0 when it uses no blocked layout (no AVX2, or another engine).</summary>
    public static int Of(InferenceEngine engine) => engine == InferenceEngine.OrtCpu ? Found.Value.Block : 0;

    /// <summary>Why ONNX Runtime CPU could not be asked about its blocked layout in this process (then <see cref="Of"/>
    /// says 0, or a convolution counts as plain: a latency table models no reorders or padding there); null when every
    /// question was answered.</summary>
    public static string? Problem(InferenceEngine engine) => engine == InferenceEngine.OrtCpu ? Found.Value.Problem ?? Volatile.Read(ref _convProblem) : null;

    /// <summary>The nodes of ONNX Runtime's optimised graph of <paramref name="model"/> on the CPU (one thread): blocked nodes
    /// are in <see cref="Domain"/>, and the layout switches are its <c>ReorderInput</c> and <c>ReorderOutput</c> nodes.</summary>
    /// <param name="model">The model.</param>
    /// <param name="folder">A folder for the optimised file, deleted again.</param>
    public static List<NodeProto> OptimizedNodes(OnnxModel model, string folder) => [.. Optimized(model, folder).Node];

    /// <summary>ONNX Runtime's optimised graph of <paramref name="model"/> on the CPU (one thread), with the initializers it
    /// made (a blocked convolution's weights padded and reordered).</summary>
    /// <param name="model">The model.</param>
    /// <param name="folder">A folder for the optimised file, deleted again.</param>
    public static GraphProto Optimized(OnnxModel model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        string optimized = Path.Combine(folder, $".nchwc-probe-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = OrtSessionFactory.CreateOptions(InferenceEngine.OrtCpu, 1))
            {
                options.OptimizedModelFilePath = optimized;
                using var session = new InferenceSession(model.ToBytes(), options);
            }
            using var stream = File.OpenRead(optimized);
            return ModelProto.Parser.ParseFrom(stream).Graph;
        }
        finally
        {
            File.Delete(optimized);
        }
    }

    /// <summary>How ONNX Runtime CPU runs a 2-D convolution of <paramref name="inputChannels"/> to
    /// <paramref name="outputChannels"/> in <paramref name="groups"/> groups with constant weights (asked once per
    /// configuration and process; <see cref="ConvLayout.Plain"/> when the engine has no blocked layout).</summary>
    public static ConvLayout Conv(long inputChannels, long outputChannels, long groups)
    {
        // The asking model holds the weights of a 1×1 convolution of these channels: past 2^24 of them (64 MB) the layer
        // is larger than any vision network's, and a graph claiming it is not asked about (it counts as plain).
        if (Found.Value.Block == 0 || groups < 1 || inputChannels < 1 || outputChannels < 1 || inputChannels % groups != 0 || outputChannels % groups != 0
            || inputChannels / groups > (1 << 24) / outputChannels) return ConvLayout.Plain;
        return Convs.GetOrAdd((inputChannels, outputChannels, groups), k =>
        {
            try
            {
                var nodes = OptimizedNodes(OneConv(k.Item1, k.Item2, k.Item3), Path.GetTempPath());
                return !nodes.Any(n => n.Domain == Domain && n.OpType == "Conv") ? ConvLayout.Plain
                    : nodes.Any(n => n.Domain == Domain && n.OpType == "ReorderInput") ? ConvLayout.Blocked : ConvLayout.BlockedFromPlainInput;
            }
            catch (Exception e) when (e is OnnxRuntimeException or IOException or UnauthorizedAccessException)
            {
                Interlocked.CompareExchange(ref _convProblem, FirstLine(e), null);
                return ConvLayout.Plain;
            }
        });
    }

    /// <summary>The channel block ONNX Runtime CPU uses, asked with probe files in <paramref name="folder"/>; 0 and the
    /// reason when it cannot be asked.</summary>
    internal static (int Block, string? Problem) Find(string folder)
    {
        try
        {
            foreach (int c in Candidates)
            {
                var nodes = OptimizedNodes(OneConv(c, c, 1), folder);
                if (nodes.Any(n => n.Domain == Domain && n.OpType == "ReorderInput")) return (c, null);
            }
            return (0, null);
        }
        catch (Exception e) when (e is OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            // Without an answer the latency table models no layout switches: the state it was in before it knew of them.
            return (0, FirstLine(e));
        }
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n', 2)[0].Trim();

    /// <summary>x[1, cin, 4, 4] → Conv cin→cout 1×1 in <paramref name="groups"/> groups → y.</summary>
    private static OnnxModel OneConv(long cin, long cout, long groups)
    {
        var b = new GraphBuilder("nchwc-layout", opset: 13);
        string x = b.Input("x", ElemType.Float, 1, cin, 4, 4);
        long weights = cout * (cin / groups);
        string y = b.Node("Conv", [x, b.Initializer("w", [cout, cin / groups, 1, 1], Enumerable.Repeat(0.01f, (int)weights).ToArray())],
            [Attrs.Int("group", groups)], output: "y");
        b.Output(y, ElemType.Float, 1, cout, 4, 4);
        return OnnxModel.FromProto(b.Build());
    }
}

/// <summary>How ONNX Runtime CPU lays out a convolution (<see cref="OrtNchwcBlock.Conv"/>).</summary>
internal enum ConvLayout
{
    /// <summary>Plain NCHW in and out.</summary>
    Plain,

    /// <summary>Blocked in and out: a plain input is reordered first.</summary>
    Blocked,

    /// <summary>Reads the plain input directly (fewer input channels than the block) and writes blocked.</summary>
    BlockedFromPlainInput,
}
