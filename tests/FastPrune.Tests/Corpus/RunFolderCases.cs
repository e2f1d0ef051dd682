using System.Text.RegularExpressions;
using FastPrune.Cli;

namespace FastPrune.Tests.Corpus;

/// <summary>Run folders that cannot be used: busy, not empty, corrupt checkpoints and histories, resumes that would change the search.</summary>
[CorpusSource]
public static class RunFolderCases
{
    /// <summary>The cases.</summary>
    public static IEnumerable<CorpusCase> Cases()
    {
        yield return New("out-not-empty", ExitCodes.FileSystem, "folder is not empty", f =>
        {
            f.Text("run/notes.txt", "mine");
            return f.Path("run");
        });
        yield return New("out-is-a-file", ExitCodes.FileSystem, "is a file", f => f.Text("run", "a file"));
        yield return Resume("missing-folder", ExitCodes.FileSystem, "no such run folder", f => (f.Path("nowhere"), []));

        // Options beside --resume that would change the search are refused by name.
        foreach (var (flag, value) in new[] { ("--budget", "5"), ("--seed", "9"), ("--targets", "0.4"), ("--calib", "16"), ("--search", "random"),
            ("--recon", "none"), ("--round", "3"), ("--data", "other-data"), ("--out", "elsewhere") })
        {
            yield return Resume($"differs {flag}", ExitCodes.Usage, flag, f =>
            {
                var dir = FinishedRun.CopyTo(f);
                return (dir, [flag, value is "other-data" or "elsewhere" ? f.Path(value) : value]);
            }, names: flag);
        }
        yield return Resume("differs model", ExitCodes.Usage, "the model", f =>
        {
            var dir = FinishedRun.CopyTo(f);
            return (dir, [f.ResNet()]);
        }, names: "resnet.onnx", model: true);

        yield return Corrupt("checkpoint-garbage", ExitCodes.InvalidInput, "corrupt checkpoint", "checkpoint.json", _ => "{garbage");
        yield return Corrupt("checkpoint-missing", ExitCodes.InvalidInput, "no checkpoint", "checkpoint.json", _ => null);
        yield return Corrupt("checkpoint-format", ExitCodes.InvalidInput, "not a FastPrune run checkpoint", "checkpoint.json",
            t => t.Replace("fastprune-run/3", "fastprune-run/9", StringComparison.Ordinal));
        yield return Corrupt("checkpoint-earlier-format", ExitCodes.InvalidInput, "split the data differently", "checkpoint.json",
            t => t.Replace("fastprune-run/3", "fastprune-run/2", StringComparison.Ordinal));
        yield return Corrupt("checkpoint-empty-object", ExitCodes.InvalidInput, "not a FastPrune run checkpoint", "checkpoint.json", _ => "{}");
        yield return Corrupt("checkpoint-other-model", ExitCodes.InvalidInput, "another model", "checkpoint.json",
            t => Regex.Replace(t, "\"ModelSha256\":\"[0-9A-F]+\"", "\"ModelSha256\":\"00\""));
        yield return Corrupt("checkpoint-run-options", ExitCodes.InvalidInput, "corrupt run options", "checkpoint.json",
            t => Regex.Replace(t, "\"Budget\":[0-9]+", "\"Budget\":\"lots\""));
        yield return Corrupt("history-header", ExitCodes.InvalidInput, "not a FastPrune history", "history.csv", t => "a,b,c\n" + t);
        yield return Corrupt("history-bad-line", ExitCodes.InvalidInput, "is corrupt", "history.csv", t => t.TrimEnd('\n') + "\n1,x,y\n");
        yield return Corrupt("history-gene-out-of-range", ExitCodes.InvalidInput, "cannot be resumed", "history.csv", t =>
        {
            var lines = t.Split('\n');
            var cells = lines[1].Split(',');
            cells[2] = "100000 " + string.Join(' ', cells[2].Split(' ').Skip(1));
            lines[1] = string.Join(',', cells);
            return string.Join('\n', lines);
        });

        // Two processes never work in one folder: a held lock (as a live run holds it) refuses the second.
        yield return Resume("locked", ExitCodes.FileSystem, "another fastprune process", f => (FinishedRun.CopyTo(f), []), hold: true);
        yield return New("locked", ExitCodes.FileSystem, "another fastprune process", f => f.Dir("run"), hold: true);
    }

    private static CorpusCase New(string what, int exit, string cause, Func<CorpusFolder, string> dir, bool hold = false) =>
        new($"runfolder/new/{what}", exit, cause, f =>
        {
            var model = f.ResNet();
            var data = f.CalibData();
            var d = dir(f);
            return new CorpusCall(["run", model, "--data", data, "--calib", "8", "--eval", "8", "--budget", "2", "--no-bench", "--out", d], d,
                Holding: hold ? Lock(d) : null);
        });

    private static CorpusCase Resume(string what, int exit, string cause, Func<CorpusFolder, (string Dir, string[] Extra)> arrange,
        string? names = null, bool model = false, bool hold = false) =>
        new($"runfolder/resume/{what}", exit, cause, f =>
        {
            var (dir, extra) = arrange(f);
            string[] args = model ? ["run", extra[0], "--resume", dir] : ["run", "--resume", dir, .. extra];
            return new CorpusCall(args, names ?? dir, FinishedRun.Inputs, Progress: true, Holding: hold ? Lock(dir) : null);
        });

    private static CorpusCase Corrupt(string what, int exit, string cause, string file, Func<string, string?> edit) =>
        Resume(what, exit, cause, f =>
        {
            var dir = FinishedRun.CopyTo(f);
            var path = Path.Combine(dir, file);
            var text = edit(File.ReadAllText(path));
            if (text is null) File.Delete(path);
            else File.WriteAllText(path, text);
            return (dir, []);
        }, names: what.StartsWith("checkpoint-other", StringComparison.Ordinal) ? "run" : what.StartsWith("checkpoint-format", StringComparison.Ordinal)
            || what.StartsWith("checkpoint-empty", StringComparison.Ordinal) ? "checkpoint.json" : file);

    // As a live run holds it: an exclusive lock on the folder's lock file.
    private static FileStream Lock(string dir) =>
        new(Path.Combine(dir, FastPrune.Search.RunFolderLock.FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
}
