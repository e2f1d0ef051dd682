using FastPrune.Cli;

namespace FastPrune.Tests.Corpus;

/// <summary>Outputs that must not be written: the input itself (by any name), a device node, a folder, an empty path.</summary>
[CorpusSource]
public static class OutputCases
{
    /// <summary>The cases.</summary>
    public static IEnumerable<CorpusCase> Cases()
    {
        foreach (bool data in new[] { false, true })
        {
            string mode = data ? "prune-data" : "prune";
            yield return Prune(mode, data, "same-path", ExitCodes.Usage, "is the input model", f => (f.Path("in.onnx"), "in.onnx"));
            yield return Prune(mode, data, "dotdot-path", ExitCodes.Usage, "is the input model", f =>
            {
                f.Dir("same");
                return (f.Path("same", "..", "same", "..", "in.onnx"), "in.onnx");
            });
            yield return Prune(mode, data, "hard-link", ExitCodes.Usage, "is the input model", f =>
            {
                var link = f.Path("link.onnx");
                HardLink(f.Path("in.onnx"), link);
                return (link, "link.onnx");
            });
            yield return Prune(mode, data, "symlink", ExitCodes.Usage, "is the input model", f =>
            {
                var link = f.Path("alias.onnx");
                File.CreateSymbolicLink(link, f.Path("in.onnx"));
                return (link, "alias.onnx");
            });
            yield return Prune(mode, data, "dev-full", ExitCodes.FileSystem, "not a regular file", _ => ("/dev/full", "/dev/full"), outside: ["/dev/full"]);
            yield return Prune(mode, data, "folder", ExitCodes.FileSystem, "a folder", f => (f.Dir("out.onnx"), "out.onnx"));
            yield return Prune(mode, data, "missing-folder", ExitCodes.FileSystem, "does not exist", f => (f.Path("nowhere", "out.onnx"), "nowhere"));
            yield return Prune(mode, data, "empty", ExitCodes.Usage, "empty", _ => ("", "-o ''"));
        }
        yield return new CorpusCase("output/zoo/empty", ExitCodes.Usage, "empty", _ => new CorpusCall(["zoo", "vit_toy", "-o", ""], "-o ''"));
        yield return new CorpusCase("output/zoo/dev-full", ExitCodes.FileSystem, "not a regular file",
            _ => new CorpusCall(["zoo", "vit_toy", "-o", "/dev/full"], "/dev/full", Outside: ["/dev/full"]));
        yield return new CorpusCase("output/zoo/folder", ExitCodes.FileSystem, "a folder", f => new CorpusCall(["zoo", "vit_toy", "-o", f.Dir("m.onnx")], "m.onnx"));
        yield return new CorpusCase("output/inspect/empty-model-path", ExitCodes.Usage, "empty", _ => new CorpusCall(["inspect", ""], "model ''"));
        yield return new CorpusCase("output/eval/empty-model-path", ExitCodes.Usage, "empty", f => new CorpusCall(["eval", "", "--data", f.CalibData()], "model ''"));
    }

    // .NET has no API for hard links; ln is on every Linux test machine.
    private static void HardLink(string target, string link)
    {
        using var p = System.Diagnostics.Process.Start("ln", [target, link]);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new IOException($"ln {target} {link} failed");
    }

    private static CorpusCase Prune(string mode, bool data, string what, int exit, string cause, Func<CorpusFolder, (string Out, string Names)> output,
        IReadOnlyList<string>? outside = null) =>
        new($"output/{mode}/{what}", exit, cause, f =>
        {
            var model = f.Copy(Pipeline.SampleFiles.ResNet, "in.onnx");
            var (o, names) = output(f);
            string[] args = data
                ? ["prune", model, "-g", "0.5", "-o", o, "--data", f.CalibData(), "--calib", "8", "--eval", "8", "--recon", "paper", "--threads", "1"]
                : ["prune", model, "-g", "0.5", "-o", o];
            return new CorpusCall(args, names, outside);
        });
}
