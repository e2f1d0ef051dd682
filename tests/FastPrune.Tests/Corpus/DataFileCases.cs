using FastPrune.Cli;
using FastPrune.Data;

namespace FastPrune.Tests.Corpus;

/// <summary>Bad data files (the 1×28×28, 10-class ResNet sample's input) through prune --data, eval and run.</summary>
[CorpusSource]
public static class DataFileCases
{
    private const int N = 16;

    private static readonly (string What, int Exit, string Cause, Func<CorpusFolder, (string Data, string[] Extra, string Names)> Make)[] Kinds =
    [
        ("missing", ExitCodes.FileSystem, "not found", f => (f.Path("no-such-data", "images"), [], "no-such-data")),
        ("garbage", ExitCodes.InvalidInput, "unrecognised data file", f => Named(f.Bytes("garbage.bin", Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 >> 3)).ToArray()))),
        ("wrong-shape", ExitCodes.InvalidInput, "the model takes 1x28x28", f => Npy(f, [N, 3, 32, 32])),
        ("wrong-dtype", ExitCodes.InvalidInput, "<f8", f =>
        {
            var p = f.Path("doubles.npy");
            var d = new double[N * 28 * 28];
            NpyFile.Write(p, "<f8", System.Runtime.InteropServices.MemoryMarshal.AsBytes(d.AsSpan()), d.Length, [N, 1, 28, 28]);
            return Named(p);
        }),
        ("nan", ExitCodes.InvalidInput, "holds NaN", f => Npy(f, [N, 1, 28, 28], nanAt: 5 * 784 + 3, labels: Enumerable.Range(0, N).Select(i => (long)(i % 10)).ToArray())),
        ("labels-short", ExitCodes.InvalidInput, "15 labels for 16 images", f => Npy(f, [N, 1, 28, 28], labels: Enumerable.Range(0, N - 1).Select(i => (long)(i % 10)).ToArray(), namesLabels: true)),
        ("label-200", ExitCodes.InvalidInput, "not a class of the model", f => Npy(f, [N, 1, 28, 28], labels: Enumerable.Range(0, N).Select(i => i == 3 ? 200L : i % 10).ToArray())),
        ("labels-all-10", ExitCodes.InvalidInput, "labels 0..9", f => Npy(f, [N, 1, 28, 28], labels: Enumerable.Repeat(10L, N).ToArray())),
        ("labels-negative", ExitCodes.InvalidInput, "is negative", f => Npy(f, [N, 1, 28, 28], labels: Enumerable.Range(0, N).Select(i => i == 2 ? -1L : i % 10).ToArray(), namesLabels: true)),
        ("idx-truncated", ExitCodes.InvalidInput, "truncated", f =>
        {
            var bytes = File.ReadAllBytes(Pipeline.SampleFiles.CalibImages);
            f.Copy(Pipeline.SampleFiles.CalibLabels, "d/calib-labels-idx1-ubyte");
            return Named(f.Bytes("d/calib-images-idx3-ubyte", bytes[..(bytes.Length / 2)]));
        }),
        ("empty-folder", ExitCodes.InvalidInput, "no images", f => Named(f.Dir("images"))),
        ("bad-image", ExitCodes.InvalidInput, "not a decodable image", f =>
        {
            f.Text("images/0/a.png", "not a png at all");
            return (f.Path("images"), [], "a.png");
        }),
        ("empty-file", ExitCodes.InvalidInput, "unrecognised data file", f => Named(f.Bytes("empty.npy", []))),
    ];

    /// <summary>The cases.</summary>
    public static IEnumerable<CorpusCase> Cases()
    {
        foreach (var cmd in new[] { "prune", "eval", "run" })
        {
            foreach (var (what, exit, cause, make) in Kinds)
            {
                yield return new CorpusCase($"data/{cmd}/{what}", exit, cause, f =>
                {
                    var model = f.ResNet();
                    var (data, extra, names) = make(f);
                    string[] args = cmd switch
                    {
                        "prune" => ["prune", model, "-g", "0.5", "-o", f.Path("out.onnx"), "--data", data, "--calib", "8", "--eval", "8", "--recon", "paper", "--threads", "1", .. extra],
                        "eval" => ["eval", model, "--data", data, "--eval", "16", "--threads", "1", .. extra],
                        _ => ["run", model, "--data", data, "--calib", "8", "--eval", "8", "--budget", "2", "--out", f.Path("run"), "--no-bench", "--threads", "1", .. extra],
                    };
                    return new CorpusCall(args, names, Progress: cmd == "run");
                });
            }
        }
    }

    private static (string, string[], string) Named(string path) => (path, [], path);

    private static (string, string[], string) Npy(CorpusFolder f, long[] shape, int nanAt = -1, long[]? labels = null, bool namesLabels = false)
    {
        var p = f.Path("images.npy");
        var x = new float[shape.Aggregate(1L, (a, d) => a * d)];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 97) / 97f;
        if (nanAt >= 0) x[nanAt] = float.NaN;
        NpyFile.Write(p, x, shape);
        if (labels is null) return (p, [], p);
        var l = f.Path("labels.npy");
        NpyFile.Write(l, labels, [labels.Length]);
        return (p, ["--labels", l], namesLabels ? l : p);
    }
}
